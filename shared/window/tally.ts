/**
 * The counts of a page as pure reducers: each fan's outcome (Render or Send) folds into the shard's
 * totals, `outcomes.reduce(tallyRender, totals)`, without touching the totals it is given.
 */
import { addHandOver, type Totals } from './state';

/** What RenderPage did with one fan of the page. */
export type RenderOutcome =
  | { kind: 'send'; sk: string; resumed: boolean }
  | { kind: 'duplicate' }
  | { kind: 'optedOut' }
  | { kind: 'consentPending' }
  | { kind: 'invalid' }
  /** An SMS fan whose (locale, brand) had no short link: signed up after Shorten ran. */
  | { kind: 'noLink' };

/** What SendPage did with one fan of the page. */
export type SendOutcome =
  | { kind: 'queued'; at?: string; onTime?: boolean }
  | { kind: 'retry'; sk: string; ambiguous: boolean }
  | { kind: 'failed'; reason: string }
  | { kind: 'notLeased' };

type Count = Exclude<keyof Totals, 'failedByReason' | 'handedOver'>;

function bump(totals: Totals, key: Count, failureReason?: string): Totals {
  const next = { ...totals, [key]: totals[key] + 1 };
  if (failureReason === undefined) return next;
  return {
    ...next,
    failedByReason: {
      ...totals.failedByReason,
      [failureReason]: (totals.failedByReason[failureReason] ?? 0) + 1,
    },
  };
}

export function tallyRender(totals: Totals, outcome: RenderOutcome): Totals {
  switch (outcome.kind) {
    case 'send':
      return bump(totals, outcome.resumed ? 'resumed' : 'created');
    case 'duplicate':
      return bump(totals, 'duplicates');
    case 'optedOut':
      return bump(totals, 'optedOut', 'OPTED_OUT');
    case 'consentPending':
      return bump(totals, 'consentPending', 'CONSENT_PENDING');
    case 'invalid':
      return bump(totals, 'invalid', 'INVALID_CONTACT');
    case 'noLink':
      return bump(totals, 'invalid', 'NO_SHORT_LINK');
  }
}

export function tallySend(totals: Totals, outcome: SendOutcome): Totals {
  switch (outcome.kind) {
    case 'notLeased':
      return bump(totals, 'notLeased');
    case 'queued': {
      const counted = bump(bump(totals, 'triggered'), 'queued');
      if (outcome.at === undefined) return counted;
      const at = outcome.at;
      return {
        ...counted,
        handedOver: addHandOver(totals.handedOver, {
          onTime: outcome.onTime === false ? 0 : 1,
          late: outcome.onTime === false ? 1 : 0,
          first: at,
          last: at,
        }),
      };
    }
    case 'retry':
      return bump(bump(totals, 'triggered'), 'retried');
    case 'failed':
      return bump(bump(totals, 'triggered'), 'failed', outcome.reason);
  }
}
