/** Components of the stack, one per concern. */

export { API_KEY_MAX_DAYS, API_RESOLVER_FIELDS, ApiComponent, apiKeyExpiry, loadApiSources } from './api';
export { DeliveryStatusStream, STATUS_UPDATER_MAPPING, WEBHOOK_PATHS, WebhookApi } from './delivery-status';
export { Email, loadEmailTemplates } from './email';
export { createFanPool, FAN_CLIENT_AUTH_FLOWS, FAN_TOKEN_VALIDITY } from './fan-pool';
export { Network } from './network';
export { NotificationFunction, type TableBinding } from './notification-function';
export { METRICS, Observability } from './observability';
export {
  SaleMonitorSchedule,
  saleMonitorScheduleExpression,
  WINDOW_SCHEDULE_EXPRESSION,
  WINDOW_SCHEDULE_INPUT,
  WindowSchedule,
} from './schedule';
export { type SecretRef, Secrets } from './secrets';
export { DataTables, type TableRef } from './tables';
export { WindowStateMachine } from './window-machine';
