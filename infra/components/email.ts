import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';

/** The shape exported by shared/messages/email-templates.ts. */
export interface EmailTemplateSource {
  name: string;
  subject: string;
  html: string;
  text: string;
}

/** Module (relative to the repository root) that exports `EMAIL_TEMPLATES`. */
export const EMAIL_TEMPLATES_MODULE = 'shared/messages/email-templates.ts';

/** Reads `EMAIL_TEMPLATES` from the shared messages module; none when the module does not exist. */
export function loadEmailTemplates(rootDir: string): EmailTemplateSource[] {
  const file = path.join(rootDir, EMAIL_TEMPLATES_MODULE);
  if (!existsSync(file)) return [];
  const loaded = require(file) as { EMAIL_TEMPLATES?: unknown };
  return Array.isArray(loaded.EMAIL_TEMPLATES) ? (loaded.EMAIL_TEMPLATES as EmailTemplateSource[]) : [];
}

/** A stable short name for a recipient identity: the first 12 hex digits of the address's SHA-256. */
export function recipientDigest(address: string): string {
  return createHash('sha256').update(address.toLowerCase()).digest('hex').slice(0, 12);
}

export interface EmailArgs {
  /** `<stage>-notifications`. */
  configurationSetName: string;
  /** Sender address; its domain is the identity (DKIM records are published by operators, docs/DEPLOY.md). */
  fromAddress: string;
  templates: EmailTemplateSource[];
  /**
   * Prefix of every template name (`<stage>-`): SES templates live in one namespace per account and region,
   * so two stages in one account would otherwise overwrite each other's templates.
   */
  templatePrefix: string;
  /**
   * Addresses a stage whose account is in the SES sandbox may email: each becomes an email identity (SES
   * sends it a verification link) and a resource of the SendEmail grant. Empty out of the sandbox.
   */
  sandboxRecipients: readonly string[];
  region: string;
}

/**
 * SES: the sending domain identity, the configuration set whose events (send, delivery, bounce...) go to
 * the default event bus, and the email templates. SES v2 SendEmail reads the same template store as
 * `aws.ses.Template` writes, so the templates are created with it.
 */
export class Email extends pulumi.ComponentResource {
  readonly configurationSetName: pulumi.Output<string>;
  readonly configurationSetArn: pulumi.Output<string>;
  readonly identityArn: pulumi.Output<string>;
  readonly templateArns: pulumi.Output<string>[];
  /** Identities of the sandbox recipients (none out of the sandbox). */
  readonly recipientIdentityArns: pulumi.Output<string>[];

  constructor(name: string, args: EmailArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dmd:messaging:Email', name, {}, opts);
    const domain = args.fromAddress.split('@')[1] ?? args.fromAddress;
    const identity = new aws.sesv2.EmailIdentity(
      `${name}-identity`,
      { emailIdentity: domain },
      { parent: this },
    );
    const configurationSet = new aws.sesv2.ConfigurationSet(
      `${name}-configuration-set`,
      {
        configurationSetName: args.configurationSetName,
        reputationOptions: { reputationMetricsEnabled: true },
        sendingOptions: { sendingEnabled: true },
      },
      { parent: this },
    );
    const account = aws.getCallerIdentityOutput({}, { parent: this });
    new aws.sesv2.ConfigurationSetEventDestination(
      `${name}-events`,
      {
        configurationSetName: configurationSet.configurationSetName,
        eventDestinationName: 'delivery-status',
        eventDestination: {
          enabled: true,
          matchingEventTypes: ['SEND', 'REJECT', 'DELIVERY', 'BOUNCE', 'COMPLAINT'],
          eventBridgeDestination: {
            eventBusArn: pulumi.interpolate`arn:aws:events:${args.region}:${account.accountId}:event-bus/default`,
          },
        },
      },
      { parent: this },
    );
    this.templateArns = args.templates.map((template) => {
      const created = new aws.ses.Template(
        `${name}-template-${template.name}`,
        {
          name: `${args.templatePrefix}${template.name}`,
          subject: template.subject,
          html: template.html,
          text: template.text,
        },
        { parent: this },
      );
      return created.arn;
    });
    // Named by a digest of the address, so no address appears in resource names, URNs or deploy logs.
    this.recipientIdentityArns = args.sandboxRecipients.map(
      (address) =>
        new aws.sesv2.EmailIdentity(
          `${name}-recipient-${recipientDigest(address)}`,
          { emailIdentity: address },
          { parent: this },
        ).arn,
    );
    this.configurationSetName = configurationSet.configurationSetName;
    this.configurationSetArn = configurationSet.arn;
    this.identityArn = identity.arn;
    this.registerOutputs({ identityArn: this.identityArn, configurationSetName: this.configurationSetName });
  }
}
