/**
 * Components of the stack, one per concern. The AppSync API will be `ApiComponent` in ./api.ts, wired in
 * infra/stack.ts to the `api` function of infra/catalog.ts (which already exists with its role).
 */

export { DeliveryStatusStream, STATUS_UPDATER_MAPPING, WEBHOOK_PATHS, WebhookApi } from './delivery-status';
export { Email, loadEmailTemplates } from './email';
export { Network } from './network';
export { NotificationFunction, type TableBinding } from './notification-function';
export { METRICS, Observability } from './observability';
export { WINDOW_SCHEDULE_EXPRESSION, WINDOW_SCHEDULE_INPUT, WindowSchedule } from './schedule';
export { type SecretRef, Secrets } from './secrets';
export { DataTables, type TableRef } from './tables';
export { WindowStateMachine } from './window-machine';
