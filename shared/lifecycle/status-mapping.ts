/**
 * Status mapping: what a delivery-status event (Twilio callback or SES event) does to a notification.
 * Pure: the status updater applies the plan with forward-only writes.
 *
 *   Twilio accepted/scheduled/queued/sending   -> QUEUED (confirms a hand-off whose answer Send never got)
 *   Twilio sent                                -> SENT
 *   Twilio delivered/read                      -> DELIVERED
 *   Twilio undelivered/failed                  -> FAILED (reason from the error code, else UNDELIVERED)
 *   Twilio canceled                            -> FAILED (CANCELED)
 *   SES send                                   -> SENT (SES accepted it for delivery)
 *   SES delivery                               -> DELIVERED
 *   SES bounce Permanent                       -> FAILED (HARD_BOUNCE) + opt-out
 *   SES bounce Transient/Undetermined          -> FAILED (SOFT_BOUNCE), no opt-out
 *   SES reject                                 -> FAILED (REJECTED)
 *   SES complaint                              -> opt-out only (a delivered message stays DELIVERED)
 * An SMS failure whose code means "never again" (21211, 21610, 21614, 30005, 30006) also opts out.
 */

import type { NotificationError } from '#shared/data/notifications-repository';
import type { StatusEvent } from '#shared/delivery/status-event';
import type { NotificationStatus } from '#shared/domain/model';
import { PROVIDER_CODES } from '#shared/domain/provider-errors';

export interface StatusPlan {
  /** The status to move to (forward-only); absent when the event moves nothing. */
  status?: Extract<NotificationStatus, 'QUEUED' | 'SENT' | 'DELIVERED' | 'FAILED'>;
  failureReason?: string;
  error?: NotificationError;
  /** Add the contact to the opt-out table, with this reason. */
  optOut?: { reason: string };
}

function failed(reason: string, code: string | undefined, optOut: boolean): StatusPlan {
  return {
    status: 'FAILED',
    failureReason: reason,
    ...(code === undefined ? {} : { error: { code, reason, retryable: false } }),
    ...(optOut ? { optOut: { reason } } : {}),
  };
}

function smsFailure(event: StatusEvent): StatusPlan {
  const code = event.errorCode === undefined ? undefined : String(event.errorCode).trim();
  const known = code === undefined ? undefined : PROVIDER_CODES[code];
  // A code with a fixed meaning names the reason; any other carrier code is a plain non-delivery.
  if (known) return failed(known.reason, code, known.optOut);
  return failed('UNDELIVERED', code, false);
}

export function planStatusUpdate(event: StatusEvent): StatusPlan {
  if (event.provider === 'sms') {
    switch (event.status) {
      // The provider has the message: a record still TRIGGERED (Send timed out or crashed before its
      // QUEUED write) is confirmed, so no retry round sends it again.
      case 'accepted':
      case 'scheduled':
      case 'queued':
      case 'sending':
        return { status: 'QUEUED' };
      case 'sent':
        return { status: 'SENT' };
      case 'delivered':
      case 'read':
        return { status: 'DELIVERED' };
      case 'undelivered':
      case 'failed':
        return smsFailure(event);
      case 'canceled':
        return failed('CANCELED', undefined, false);
      default:
        return {};
    }
  }
  switch (event.status) {
    case 'send':
      return { status: 'SENT' };
    case 'delivery':
      return { status: 'DELIVERED' };
    case 'bounce': {
      const code = event.errorCode === undefined ? undefined : String(event.errorCode);
      const permanent = code?.startsWith('Permanent') ?? false;
      return failed(permanent ? 'HARD_BOUNCE' : 'SOFT_BOUNCE', code, permanent);
    }
    case 'reject':
      return failed('REJECTED', undefined, false);
    case 'complaint':
      return { optOut: { reason: 'COMPLAINT' } };
    default:
      return {};
  }
}
