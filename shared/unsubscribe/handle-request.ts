/**
 * The unsubscribe endpoint (webhook API on AWS, the local stack's function URL): a GET shows a page
 * with one button (mail scanners open links; a GET never unsubscribes), a POST records the opt-out for
 * the address the link was made for. Mailbox providers POST `List-Unsubscribe=One-Click` to the URL of
 * the `List-Unsubscribe` header (RFC 8058 §3.1): the token in the URL is all that is needed.
 * A forged link is refused 403, an expired one 410, a malformed one 400; nothing is recorded.
 */
import type { OptOutRecord } from '#shared/data/opt-outs-repository';
import { UNSUBSCRIBE_TOKEN_PARAMETER, verifyUnsubscribeToken } from './signed-link';

export interface UnsubscribeRequest {
  method: string;
  /** The query string's parameters. */
  query: Record<string, string | undefined>;
}

export interface UnsubscribeResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export type UnsubscribeOutcome =
  | { kind: 'confirm' }
  | { kind: 'recorded' }
  | { kind: 'refused'; reason: 'MALFORMED' | 'FORGED' | 'EXPIRED' | 'METHOD' };

export interface UnsubscribeDeps {
  secret: string;
  optOuts: { add(record: OptOutRecord): Promise<void> };
  now: () => Date;
}

const PAGE_HEAD =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">' +
  '<meta name="robots" content="noindex"><title>Unsubscribe / Désabonnement</title></head>' +
  '<body style="font-family: Arial, sans-serif; max-width: 36em; margin: 2em auto;">';

function page(statusCode: number, body: string): UnsubscribeResponse {
  return {
    statusCode,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    },
    body: `${PAGE_HEAD}${body}</body></html>`,
  };
}

const REFUSALS = {
  MALFORMED: {
    status: 400,
    en: 'This unsubscribe link is incomplete.',
    fr: 'Ce lien de désabonnement est incomplet.',
  },
  FORGED: {
    status: 403,
    en: 'This unsubscribe link is not valid.',
    fr: "Ce lien de désabonnement n'est pas valide.",
  },
  EXPIRED: {
    status: 410,
    en: 'This unsubscribe link has expired: use the link of a more recent email.',
    fr: "Ce lien de désabonnement a expiré : utilisez celui d'un courriel plus récent.",
  },
} as const;

export async function handleUnsubscribe(
  request: UnsubscribeRequest,
  deps: UnsubscribeDeps,
): Promise<{ outcome: UnsubscribeOutcome; response: UnsubscribeResponse }> {
  const method = request.method.toUpperCase();
  if (method !== 'GET' && method !== 'POST') {
    return {
      outcome: { kind: 'refused', reason: 'METHOD' },
      response: { statusCode: 405, headers: { allow: 'GET, POST' }, body: '' },
    };
  }
  const token = request.query[UNSUBSCRIBE_TOKEN_PARAMETER];
  const now = deps.now();
  const verdict = verifyUnsubscribeToken(token, deps.secret, now);
  if (!verdict.ok) {
    const refusal = REFUSALS[verdict.reason];
    return {
      outcome: { kind: 'refused', reason: verdict.reason },
      response: page(refusal.status, `<p>${refusal.en}</p><p lang="fr">${refusal.fr}</p>`),
    };
  }
  if (method === 'GET') {
    // The form posts back to this very URL (token included): the page's own address, relative.
    const action = `?${UNSUBSCRIBE_TOKEN_PARAMETER}=${encodeURIComponent(token ?? '')}`;
    return {
      outcome: { kind: 'confirm' },
      response: page(
        200,
        '<p>Stop receiving on-sale reminders at this address?</p>' +
          '<p lang="fr">Ne plus recevoir de rappels de mise en vente à cette adresse?</p>' +
          `<form method="post" action="${action}"><input type="hidden" name="List-Unsubscribe" value="One-Click">` +
          '<button type="submit">Unsubscribe / Me désabonner</button></form>',
      ),
    };
  }
  await deps.optOuts.add({
    contactHash: verdict.claims.contactHash,
    reason: 'UNSUBSCRIBE_LINK',
    source: 'unsubscribe-link',
    createdAt: now.toISOString(),
  });
  return {
    outcome: { kind: 'recorded' },
    response: page(
      200,
      '<p>You are unsubscribed: no more reminders will be sent to this address.</p>' +
        '<p lang="fr">Vous êtes désabonné : plus aucun rappel ne sera envoyé à cette adresse.</p>',
    ),
  };
}
