/**
 * Twilio request signatures (X-Twilio-Signature): base64 HMAC-SHA1, keyed with the account's auth
 * token, of the full URL (with its query string) followed by every POST parameter, sorted by name,
 * as name + value. Used by the status and inbound webhooks to verify, and by the SMS sandbox to sign.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TwilioParams = Record<string, string | readonly string[]>;

export function twilioSignature(authToken: string, url: string, params: TwilioParams = {}): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    const values = typeof value === 'string' ? [value] : [...(value ?? [])].sort();
    for (const v of values) data += name + v;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** The same URL with and without the scheme's default port: Twilio may have signed either form. */
function urlVariants(url: string): string[] {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [url];
  }
  const variants = [url];
  const defaultPort = parsed.protocol === 'https:' ? '443' : parsed.protocol === 'http:' ? '80' : '';
  if (defaultPort === '') return variants;
  const host = parsed.hostname.includes(':') ? `[${parsed.hostname}]` : parsed.hostname;
  const rest = `${parsed.pathname}${parsed.search}`;
  if (parsed.port === '') variants.push(`${parsed.protocol}//${host}:${defaultPort}${rest}`);
  else if (parsed.port === defaultPort) variants.push(`${parsed.protocol}//${host}${rest}`);
  return variants;
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: TwilioParams,
  signatureHeader: string | undefined | null,
): boolean {
  if (!signatureHeader) return false;
  return urlVariants(url).some((u) => safeEqual(twilioSignature(authToken, u, params), signatureHeader));
}
