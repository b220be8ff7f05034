/**
 * SES v2 sandbox: the REST-JSON operations the pipeline uses, at their real paths. The SDK signs with
 * SigV4; the signature is not checked.
 *   POST /v2/email/outbound-emails          SendEmail -> { MessageId }
 *   POST /v2/email/templates                CreateEmailTemplate
 *   GET  /v2/email/templates/{TemplateName} GetEmailTemplate
 * Errors use the REST-JSON shape the SDK decodes: status + `x-amzn-ErrorType` + `{ message }`.
 * After each send it publishes SES-style events (Send, then Delivery or Bounce, maybe Complaint) to
 * onEvent. The mailbox simulator addresses (bounce@ / complaint@ / success@simulator.amazonses.com)
 * behave as on SES.
 *
 * A templated send is rendered as SES renders stored templates: Handlebars (built-in helpers only), and
 * no HTML escaping of the variables, in the HTML part too ("SES doesn't escape HTML content when
 * rendering the HTML template for a message",
 * https://docs.aws.amazon.com/ses/latest/dg/send-personalized-email-advanced.html); a missing variable
 * renders empty and the send is accepted. `Content.Template.Headers` are kept as the message's headers
 * (https://docs.aws.amazon.com/ses/latest/APIReference-V2/API_Template.html). A test reads the final
 * subject, HTML and text of each email in `emails[i].rendered`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { compileTemplateParts } from 'aws-ses-v2-local/dist/v2/renderTemplate';
import type { SesEvent } from '#shared/clients/ses-event';
import { chance, delay, HttpSandbox, type ListenOptions, sendJson } from './server';

export interface SesFaults {
  /** Share of SendEmail calls answered 500 InternalServiceErrorException. */
  rate500?: number;
  /** Share answered 429 TooManyRequestsException. */
  throttleRate?: number;
  /** Share answered 400 MessageRejected. */
  rejectRate?: number;
  latencyMs?: number;
}

export interface SesEventOptions {
  /** Default true. */
  enabled?: boolean;
  /** Between the send and its delivery/bounce; default 20 ms. */
  delayMs?: number;
  bounceRate?: number;
  complaintRate?: number;
}

export interface SesSandboxOptions extends ListenOptions {
  faults?: SesFaults;
  events?: SesEventOptions;
  onEvent?: (event: SesEvent) => Promise<void>;
  /** Templates known from the start. */
  templates?: Record<string, { Subject: string; Text?: string; Html?: string }>;
  /** Answer 404 NotFoundException for a template that was never created; default false. */
  strictTemplates?: boolean;
  random?: () => number;
}

export interface SesRecord {
  messageId: string;
  /** Email address: tests may read it, nothing may print it. */
  to: string;
  from?: string;
  template?: string;
  templateData?: unknown;
  configurationSetName?: string;
  tags: Record<string, string>;
  /** Headers asked for with Content.Template.Headers (List-Unsubscribe...), by name as given. */
  headers: Record<string, string>;
  /** The message as SES builds it from a stored template; absent for a template it does not know. */
  rendered?: RenderedEmail;
  at: string;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface SesCounters {
  sent: number;
  rejected: Record<string, number>;
  throttled: number;
  events: Record<string, number>;
  eventErrors: number;
}

export interface SesSandbox {
  /** The value for AWS_ENDPOINT_URL_SESV2. */
  url: string;
  counters: SesCounters;
  emails: SesRecord[];
  templates: Map<string, { Subject: string; Text?: string; Html?: string }>;
  setFaults(faults: SesFaults): void;
  setEvents(events: SesEventOptions): void;
  idle(): Promise<void>;
  resetCounters(): void;
  stop(): Promise<void>;
}

type TemplateContent = { Subject: string; Text?: string; Html?: string };

type SendBody = {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[] };
  Content?: {
    Template?: {
      TemplateName?: string;
      TemplateData?: string;
      Headers?: { Name?: string; Value?: string }[];
    };
    Simple?: { Subject?: { Data?: string } };
  };
  ConfigurationSetName?: string;
  EmailTags?: { Name?: string; Value?: string }[];
};

class SesRejection extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'SesRejection';
  }
}

/** Header names as RFC 5322 allows them; values on one line (no CR/LF injection). */
const HEADER_NAME = /^[!-9;-~]+$/;
const HEADER_VALUE = /^[^\r\n]*$/;

/**
 * The SES v2 sandbox: routes (templates, SendEmail), state (templates, emails, counters), the fault
 * policy, the template rendering, and the event publisher. Start it with `SesSandboxServer.start()` or
 * `startSesSandbox()`.
 */
export class SesSandboxServer extends HttpSandbox implements SesSandbox {
  readonly counters: SesCounters = { sent: 0, rejected: {}, throttled: 0, events: {}, eventErrors: 0 };
  readonly emails: SesRecord[] = [];
  readonly templates: Map<string, TemplateContent>;
  /** Compiled once per stored template (a template replaced by its name is compiled again). */
  private readonly compiled = new WeakMap<TemplateContent, ReturnType<typeof compileTemplateParts>>();
  private faults: SesFaults;
  private eventOptions: SesEventOptions;
  private readonly random: () => number;

  private constructor(private readonly options: SesSandboxOptions) {
    super('SES');
    this.templates = new Map(Object.entries(options.templates ?? {}));
    this.faults = { ...options.faults };
    this.eventOptions = { ...options.events };
    this.random = options.random ?? Math.random;
  }

  static async start(options: SesSandboxOptions = {}): Promise<SesSandboxServer> {
    const sandbox = new SesSandboxServer(options);
    await sandbox.listen(options);
    return sandbox;
  }

  setFaults(faults: SesFaults): void {
    this.faults = { ...faults };
  }

  setEvents(events: SesEventOptions): void {
    this.eventOptions = { ...events };
  }

  resetCounters(): void {
    Object.assign(this.counters, { sent: 0, rejected: {}, throttled: 0, events: {}, eventErrors: 0 });
  }

  /** Renders a stored template as SES does (Handlebars, no escaping); undefined for an unknown template. */
  render(templateName: string, data: unknown): RenderedEmail | undefined {
    const template = this.templates.get(templateName);
    return template && this.renderTemplate(template, data);
  }

  private renderTemplate(template: TemplateContent, data: unknown): RenderedEmail {
    let compiled = this.compiled.get(template);
    if (!compiled) {
      compiled = compileTemplateParts({
        Subject: template.Subject,
        Html: template.Html,
        Text: template.Text,
      });
      this.compiled.set(template, compiled);
    }
    const { subject, html, text } = compiled((data ?? {}) as Record<string, unknown>);
    return { subject, html: html ?? '', text: text ?? '' };
  }

  // Routes ---------------------------------------------------------------------------------------------

  protected async handle(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (this.faults.latencyMs) await delay(this.faults.latencyMs);
    try {
      const json = this.parseBody(raw);
      const templatePath = /^\/v2\/email\/templates\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && templatePath?.[1]) {
        return this.getTemplate(res, decodeURIComponent(templatePath[1]));
      }
      if (req.method === 'POST' && url.pathname === '/v2/email/templates')
        return this.createTemplate(res, json);
      if (req.method === 'POST' && url.pathname === '/v2/email/outbound-emails')
        return this.sendEmail(res, json);
      throw new SesRejection(404, 'NotFoundException', 'Unknown operation');
    } catch (error: unknown) {
      if (!(error instanceof SesRejection)) throw error;
      this.counters.rejected[error.type] = (this.counters.rejected[error.type] ?? 0) + 1;
      sendJson(
        res,
        error.status,
        { message: error.message },
        { 'x-amzn-errortype': error.type, 'x-amzn-requestid': randomUUID() },
      );
    }
  }

  private parseBody(raw: string): unknown {
    if (!raw) return {};
    try {
      return JSON.parse(raw);
    } catch {
      throw new SesRejection(400, 'BadRequestException', 'Request body is not JSON');
    }
  }

  private getTemplate(res: ServerResponse, name: string): void {
    const template = this.templates.get(name);
    if (!template) throw new SesRejection(404, 'NotFoundException', `Template ${name} does not exist.`);
    sendJson(res, 200, { TemplateName: name, TemplateContent: template });
  }

  private createTemplate(res: ServerResponse, json: unknown): void {
    const body = json as { TemplateName?: string; TemplateContent?: Partial<TemplateContent> };
    if (!body.TemplateName || !body.TemplateContent?.Subject) {
      throw new SesRejection(
        400,
        'BadRequestException',
        'TemplateName and TemplateContent.Subject are required',
      );
    }
    if (this.templates.has(body.TemplateName)) {
      throw new SesRejection(400, 'AlreadyExistsException', `Template ${body.TemplateName} already exists.`);
    }
    this.templates.set(body.TemplateName, { ...body.TemplateContent, Subject: body.TemplateContent.Subject });
    sendJson(res, 200, {});
  }

  private sendEmail(res: ServerResponse, json: unknown): void {
    const body = json as SendBody;
    const to = body.Destination?.ToAddresses ?? [];
    if (to.length === 0 || !body.Content) {
      throw new SesRejection(400, 'BadRequestException', 'Destination and Content are required');
    }
    if (!body.FromEmailAddress)
      throw new SesRejection(400, 'BadRequestException', 'FromEmailAddress is required');
    const template = body.Content.Template;
    if (template && !template.TemplateName)
      throw new SesRejection(400, 'BadRequestException', 'TemplateName is required');
    if (
      template?.TemplateName &&
      this.options.strictTemplates &&
      !this.templates.has(template.TemplateName)
    ) {
      throw new SesRejection(404, 'NotFoundException', `Template ${template.TemplateName} does not exist.`);
    }
    this.applyFaults();
    const templateData = this.templateData(template?.TemplateData);
    const record: SesRecord = {
      messageId: `010001${randomBytes(6).toString('hex')}-${randomUUID()}-000000`,
      to: to[0] ?? '',
      from: body.FromEmailAddress,
      tags: this.tags(body.EmailTags),
      headers: this.headers(template?.Headers),
      at: new Date().toISOString(),
      ...(template?.TemplateName ? { template: template.TemplateName } : {}),
      ...(templateData === undefined ? {} : { templateData }),
      ...(body.ConfigurationSetName ? { configurationSetName: body.ConfigurationSetName } : {}),
    };
    const stored = template?.TemplateName ? this.templates.get(template.TemplateName) : undefined;
    if (stored) {
      // Rendered when first read, from the template as it was at the send: a run of thousands of emails
      // keeps their data, not thousands of HTML bodies.
      let rendered: RenderedEmail | undefined;
      Object.defineProperty(record, 'rendered', {
        enumerable: true,
        get: () => {
          rendered ??= this.renderTemplate(stored, templateData);
          return rendered;
        },
      });
    }
    this.emails.push(record);
    this.counters.sent += 1;
    sendJson(res, 200, { MessageId: record.messageId }, { 'x-amzn-requestid': randomUUID() });
    this.scheduleEvents(record);
  }

  // Validation -----------------------------------------------------------------------------------------

  private templateData(raw: string | undefined): unknown {
    if (raw === undefined) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      throw new SesRejection(400, 'BadRequestException', 'TemplateData is not valid JSON');
    }
  }

  private tags(given: SendBody['EmailTags']): Record<string, string> {
    const tags: Record<string, string> = {};
    for (const t of given ?? []) {
      if (
        !t.Name ||
        t.Value === undefined ||
        !/^[A-Za-z0-9_-]*$/.test(t.Value) ||
        !/^[A-Za-z0-9_-]+$/.test(t.Name)
      ) {
        throw new SesRejection(400, 'BadRequestException', 'Invalid EmailTags');
      }
      tags[t.Name] = t.Value;
    }
    return tags;
  }

  private headers(given: { Name?: string; Value?: string }[] | undefined): Record<string, string> {
    const headers: Record<string, string> = {};
    for (const h of given ?? []) {
      if (!h.Name || h.Value === undefined || !HEADER_NAME.test(h.Name) || !HEADER_VALUE.test(h.Value)) {
        throw new SesRejection(400, 'BadRequestException', 'Invalid Headers');
      }
      headers[h.Name] = h.Value;
    }
    return headers;
  }

  // Fault policy ---------------------------------------------------------------------------------------

  private applyFaults(): void {
    if (chance(this.faults.throttleRate, this.random)) {
      this.counters.throttled += 1;
      throw new SesRejection(429, 'TooManyRequestsException', 'Maximum sending rate exceeded.');
    }
    if (chance(this.faults.rate500, this.random)) {
      throw new SesRejection(500, 'InternalServiceErrorException', 'Internal service error');
    }
    if (chance(this.faults.rejectRate, this.random)) {
      throw new SesRejection(400, 'MessageRejected', 'Email address is not verified.');
    }
  }

  // Events ---------------------------------------------------------------------------------------------

  private async publish(record: SesRecord, eventType: SesEvent['eventType']): Promise<void> {
    if (!this.options.onEvent) return;
    const timestamp = new Date().toISOString();
    const tags: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(record.tags)) tags[k] = [v];
    if (record.configurationSetName) tags['ses:configuration-set'] = [record.configurationSetName];
    const event: SesEvent = {
      eventType,
      mail: {
        timestamp: record.at,
        messageId: record.messageId,
        destination: [record.to],
        tags,
        ...(record.from ? { source: record.from } : {}),
      },
    };
    if (eventType === 'Delivery') event.delivery = { timestamp };
    if (eventType === 'Bounce')
      event.bounce = { bounceType: 'Permanent', bounceSubType: 'General', timestamp };
    if (eventType === 'Complaint') event.complaint = { timestamp };
    try {
      await this.options.onEvent(event);
      this.counters.events[eventType] = (this.counters.events[eventType] ?? 0) + 1;
    } catch {
      this.counters.eventErrors += 1;
    }
  }

  private scheduleEvents(record: SesRecord): void {
    if (this.eventOptions.enabled === false || !this.options.onEvent) return;
    const ms = this.eventOptions.delayMs ?? 20;
    const local = record.to.toLowerCase();
    const bounce = local.startsWith('bounce@simulator') || chance(this.eventOptions.bounceRate, this.random);
    const complaint =
      !bounce &&
      (local.startsWith('complaint@simulator') || chance(this.eventOptions.complaintRate, this.random));
    let chain = Promise.resolve();
    const step = (after: number, type: SesEvent['eventType']): void => {
      this.running().later(after, () => {
        chain = chain.then(() => this.publish(record, type));
        return chain;
      });
    };
    step(0, 'Send');
    step(ms, bounce ? 'Bounce' : 'Delivery');
    if (complaint) step(ms * 2, 'Complaint');
  }
}

export function startSesSandbox(opts: SesSandboxOptions = {}): Promise<SesSandbox> {
  return SesSandboxServer.start(opts);
}
