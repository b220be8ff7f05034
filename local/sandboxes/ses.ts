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
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { SesEvent } from '#shared/clients/ses-event';
import { chance, delay, type ListenOptions, sendJson, startServer } from './server';

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
  at: string;
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

function awsError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { message }, { 'x-amzn-errortype': type, 'x-amzn-requestid': randomUUID() });
}

type SendBody = {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[] };
  Content?: {
    Template?: { TemplateName?: string; TemplateData?: string };
    Simple?: { Subject?: { Data?: string } };
  };
  ConfigurationSetName?: string;
  EmailTags?: { Name?: string; Value?: string }[];
};

export async function startSesSandbox(opts: SesSandboxOptions = {}): Promise<SesSandbox> {
  const random = opts.random ?? Math.random;
  let faults: SesFaults = { ...opts.faults };
  let eventOpts: SesEventOptions = { ...opts.events };
  const templates = new Map(Object.entries(opts.templates ?? {}));
  const emails: SesRecord[] = [];
  const counters: SesCounters = { sent: 0, rejected: {}, throttled: 0, events: {}, eventErrors: 0 };

  const reject = (res: ServerResponse, status: number, type: string, message: string): void => {
    counters.rejected[type] = (counters.rejected[type] ?? 0) + 1;
    awsError(res, status, type, message);
  };

  async function publish(record: SesRecord, eventType: SesEvent['eventType']): Promise<void> {
    if (!opts.onEvent) return;
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
      await opts.onEvent(event);
      counters.events[eventType] = (counters.events[eventType] ?? 0) + 1;
    } catch {
      counters.eventErrors += 1;
    }
  }

  function scheduleEvents(record: SesRecord): void {
    if (eventOpts.enabled === false || !opts.onEvent) return;
    const ms = eventOpts.delayMs ?? 20;
    const local = record.to.toLowerCase();
    const bounce = local.startsWith('bounce@simulator') || chance(eventOpts.bounceRate, random);
    const complaint =
      !bounce && (local.startsWith('complaint@simulator') || chance(eventOpts.complaintRate, random));
    let chain = Promise.resolve();
    const step = (after: number, type: SesEvent['eventType']): void => {
      server.later(after, () => {
        chain = chain.then(() => publish(record, type));
        return chain;
      });
    };
    step(0, 'Send');
    step(ms, bounce ? 'Bounce' : 'Delivery');
    if (complaint) step(ms * 2, 'Complaint');
  }

  const server = await startServer(
    'ses',
    async (req, res, raw) => {
      const url = new URL(req.url ?? '/', 'http://sandbox');
      if (faults.latencyMs) await delay(faults.latencyMs);
      let json: unknown = {};
      if (raw) {
        try {
          json = JSON.parse(raw);
        } catch {
          return reject(res, 400, 'BadRequestException', 'Request body is not JSON');
        }
      }

      const templatePath = /^\/v2\/email\/templates\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && templatePath?.[1]) {
        const name = decodeURIComponent(templatePath[1]);
        const t = templates.get(name);
        if (!t) return reject(res, 404, 'NotFoundException', `Template ${name} does not exist.`);
        return sendJson(res, 200, { TemplateName: name, TemplateContent: t });
      }
      if (req.method === 'POST' && url.pathname === '/v2/email/templates') {
        const body = json as {
          TemplateName?: string;
          TemplateContent?: { Subject?: string; Text?: string; Html?: string };
        };
        if (!body.TemplateName || !body.TemplateContent?.Subject) {
          return reject(
            res,
            400,
            'BadRequestException',
            'TemplateName and TemplateContent.Subject are required',
          );
        }
        if (templates.has(body.TemplateName)) {
          return reject(res, 400, 'AlreadyExistsException', `Template ${body.TemplateName} already exists.`);
        }
        templates.set(body.TemplateName, { ...body.TemplateContent, Subject: body.TemplateContent.Subject });
        return sendJson(res, 200, {});
      }
      if (req.method !== 'POST' || url.pathname !== '/v2/email/outbound-emails') {
        return reject(res, 404, 'NotFoundException', 'Unknown operation');
      }

      const body = json as SendBody;
      const to = body.Destination?.ToAddresses ?? [];
      if (to.length === 0 || !body.Content) {
        return reject(res, 400, 'BadRequestException', 'Destination and Content are required');
      }
      if (!body.FromEmailAddress)
        return reject(res, 400, 'BadRequestException', 'FromEmailAddress is required');
      const template = body.Content.Template;
      if (template && !template.TemplateName) {
        return reject(res, 400, 'BadRequestException', 'TemplateName is required');
      }
      if (template?.TemplateName && opts.strictTemplates && !templates.has(template.TemplateName)) {
        return reject(res, 404, 'NotFoundException', `Template ${template.TemplateName} does not exist.`);
      }
      if (chance(faults.throttleRate, random)) {
        counters.throttled += 1;
        return reject(res, 429, 'TooManyRequestsException', 'Maximum sending rate exceeded.');
      }
      if (chance(faults.rate500, random)) {
        return reject(res, 500, 'InternalServiceErrorException', 'Internal service error');
      }
      if (chance(faults.rejectRate, random)) {
        return reject(res, 400, 'MessageRejected', 'Email address is not verified.');
      }
      let templateData: unknown;
      if (template?.TemplateData !== undefined) {
        try {
          templateData = JSON.parse(template.TemplateData);
        } catch {
          return reject(res, 400, 'BadRequestException', 'TemplateData is not valid JSON');
        }
      }
      const tags: Record<string, string> = {};
      for (const t of body.EmailTags ?? []) {
        if (
          !t.Name ||
          t.Value === undefined ||
          !/^[A-Za-z0-9_-]*$/.test(t.Value) ||
          !/^[A-Za-z0-9_-]+$/.test(t.Name)
        ) {
          return reject(res, 400, 'BadRequestException', 'Invalid EmailTags');
        }
        tags[t.Name] = t.Value;
      }
      const messageId = `010001${randomBytes(6).toString('hex')}-${randomUUID()}-000000`;
      const record: SesRecord = {
        messageId,
        to: to[0] ?? '',
        from: body.FromEmailAddress,
        tags,
        at: new Date().toISOString(),
        ...(template?.TemplateName ? { template: template.TemplateName } : {}),
        ...(templateData === undefined ? {} : { templateData }),
        ...(body.ConfigurationSetName ? { configurationSetName: body.ConfigurationSetName } : {}),
      };
      emails.push(record);
      counters.sent += 1;
      sendJson(res, 200, { MessageId: messageId }, { 'x-amzn-requestid': randomUUID() });
      scheduleEvents(record);
    },
    opts,
  );

  return {
    url: server.url,
    counters,
    emails,
    templates,
    setFaults(next) {
      faults = { ...next };
    },
    setEvents(next) {
      eventOpts = { ...next };
    },
    idle: () => server.idle(),
    resetCounters() {
      Object.assign(counters, { sent: 0, rejected: {}, throttled: 0, events: {}, eventErrors: 0 });
    },
    stop: () => server.stop(),
  };
}
