/**
 * Email through SES v2: SendEmail with a stored template (Content.Template). The SESv2Client is built
 * once at module scope by the caller (AWS_ENDPOINT_URL_SESV2 points it at the sandbox locally).
 */
import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { escapeHtml } from '#shared/messages/email';
import {
  type ProviderError,
  ProviderMalformedResponseError,
  ProviderRateLimitedError,
  ProviderRejectedError,
  ProviderTimeoutError,
  ProviderUnavailableError,
} from './errors';
import { encodeTagValue, NOTIFICATION_KEY_TAG } from './ses-event';

export interface EmailClientOptions {
  ses: SESv2Client;
  fromEmailAddress: string;
  configurationSetName?: string;
  /** Prepended to every template name: the stage's templates are `<stage>-<name>` in SES. Default none. */
  templatePrefix?: string;
  /**
   * The account's SES is in the sandbox: an unverified recipient is refused (IAM AccessDenied on the
   * recipient's identity, or SES MessageRejected "not verified"); that notification fails with the code
   * SANDBOX_RECIPIENT_NOT_VERIFIED instead of looking like a configuration error. Default false.
   */
  sandbox?: boolean;
  /** Default 30 s (PERF-003). */
  timeoutMs?: number;
}

export interface EmailSendInput {
  /** Never logged, never in an error message. */
  to: string;
  templateName: string;
  templateData: Record<string, unknown>;
  notificationKey: string;
  /** Extra EmailTags (values must match [A-Za-z0-9_-]). */
  tags?: Record<string, string>;
  /**
   * The recipient's signed one-click unsubscribe URL: sent as `List-Unsubscribe: <url>` with
   * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058), and given to the template as
   * `unsubscribeUrl` (and `html.unsubscribeUrl`, escaped) for the visible link.
   */
  unsubscribeUrl?: string;
}

/**
 * The headers of a one-click unsubscribe (RFC 8058 §3.1: a List-Unsubscribe https URI and
 * List-Unsubscribe-Post with exactly `List-Unsubscribe=One-Click`). SES v2 adds the headers of
 * `Content.Template.Headers` to the message
 * (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_Template.html).
 */
export function unsubscribeHeaders(url: string): Array<{ Name: string; Value: string }> {
  return [
    { Name: 'List-Unsubscribe', Value: `<${url}>` },
    { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
  ];
}

/** The template data with the unsubscribe link, plain and escaped for the HTML part (SES does not escape). */
function withUnsubscribe(data: Record<string, unknown>, url: string | undefined): Record<string, unknown> {
  if (url === undefined) return data;
  const html =
    typeof data.html === 'object' && data.html !== null ? (data.html as Record<string, unknown>) : {};
  return {
    ...data,
    unsubscribeUrl: url,
    html: { ...html, unsubscribeUrl: escapeHtml(url) },
  };
}

const THROTTLED = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'LimitExceededException',
]);
const UNAVAILABLE = new Set(['InternalServiceErrorException', 'InternalFailure', 'ServiceUnavailable']);
const TIMED_OUT = new Set(['TimeoutError', 'AbortError', 'RequestTimeout', 'RequestTimeoutException']);

export class EmailClient {
  private readonly opts: EmailClientOptions;

  constructor(opts: EmailClientOptions) {
    this.opts = opts;
  }

  async send(input: EmailSendInput): Promise<{ messageId: string }> {
    const tags = [
      { Name: NOTIFICATION_KEY_TAG, Value: encodeTagValue(input.notificationKey) },
      ...Object.entries(input.tags ?? {}).map(([Name, Value]) => ({ Name, Value })),
    ];
    const command = new SendEmailCommand({
      FromEmailAddress: this.opts.fromEmailAddress,
      Destination: { ToAddresses: [input.to] },
      Content: {
        Template: {
          TemplateName: `${this.opts.templatePrefix ?? ''}${input.templateName}`,
          TemplateData: JSON.stringify(withUnsubscribe(input.templateData, input.unsubscribeUrl)),
          ...(input.unsubscribeUrl ? { Headers: unsubscribeHeaders(input.unsubscribeUrl) } : {}),
        },
      },
      ...(this.opts.configurationSetName ? { ConfigurationSetName: this.opts.configurationSetName } : {}),
      EmailTags: tags,
    });
    const timeoutMs = this.opts.timeoutMs ?? 30_000;
    let messageId: string | undefined;
    try {
      const out = await this.opts.ses.send(command, { abortSignal: AbortSignal.timeout(timeoutMs) });
      messageId = out.MessageId;
    } catch (error: unknown) {
      if (this.opts.sandbox && isSandboxRecipientRefusal(error, this.opts.fromEmailAddress)) {
        throw new ProviderRejectedError({
          provider: 'email',
          operation: 'send',
          code: SANDBOX_RECIPIENT_NOT_VERIFIED,
          httpStatus: (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 400,
        });
      }
      throw mapSesError(error, timeoutMs);
    }
    if (!messageId)
      throw new ProviderMalformedResponseError({ provider: 'email', operation: 'send', ambiguous: true });
    return { messageId };
  }
}

/** Error code of a recipient refused because the stage's SES account is in the sandbox. */
export const SANDBOX_RECIPIENT_NOT_VERIFIED = 'SandboxRecipientNotVerified';

/**
 * Whether SES or IAM refused the send because the recipient is not a verified identity, as they do in the
 * sandbox (https://docs.aws.amazon.com/ses/latest/dg/request-production-access.html): SES answers
 * MessageRejected "Email address is not verified"; when the role's grant names only verified recipients,
 * IAM answers AccessDenied on `identity/<recipient>` first. AccessDenied on the sender's own identity is
 * not a sandbox refusal (the grant is wrong). The message is read here and never kept: it quotes addresses.
 */
export function isSandboxRecipientRefusal(error: unknown, fromEmailAddress: string): boolean {
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : '';
  if (name === 'MessageRejected') return /not verified/i.test(message);
  if (name !== 'AccessDeniedException' && name !== 'AccessDenied') return false;
  const identity = /:identity\/([^\s'`"]+)/.exec(message)?.[1]?.toLowerCase();
  if (!identity) return false;
  const from = fromEmailAddress.toLowerCase();
  return identity !== from && identity !== from.split('@')[1];
}

/** Maps an SDK error (or a transport failure) to the typed provider errors. */
export function mapSesError(error: unknown, timeoutMs: number): ProviderError {
  const name = error instanceof Error ? error.name : 'UnknownError';
  const meta = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata;
  const httpStatus = meta?.httpStatusCode;
  const base = {
    provider: 'email' as const,
    operation: 'send',
    code: name,
    // No `cause`: SES messages can quote the recipient's address, and loggers print causes.
    ...(httpStatus === undefined ? {} : { httpStatus }),
  };
  if (TIMED_OUT.has(name)) return new ProviderTimeoutError({ ...base, timeoutMs });
  if (THROTTLED.has(name) || httpStatus === 429) return new ProviderRateLimitedError(base);
  if (UNAVAILABLE.has(name) || (httpStatus !== undefined && httpStatus >= 500)) {
    return new ProviderUnavailableError(base);
  }
  if (httpStatus !== undefined && httpStatus >= 400) return new ProviderRejectedError(base);
  // No HTTP answer at all: connection refused/reset.
  const code = (error as { code?: unknown } | null)?.code;
  return new ProviderUnavailableError({
    ...base,
    ...(typeof code === 'string' ? { code } : {}),
    ambiguous: code !== 'ECONNREFUSED',
  });
}
