import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import type { SecretKey } from '#shared/catalog';
import { UNSET_SECRET_VALUE } from '#shared/config/secrets';
import { parameterName } from '../naming';

/** A SecureString parameter as functions see it: the env var that carries its name, and its ARN. */
export interface SecretRef {
  key: SecretKey;
  envVar: string;
  name: pulumi.Output<string>;
  arn: pulumi.Output<string>;
}

/** Parameter name suffix and the env var of shared/config/env.ts that carries it. */
export const SECRET_PARAMETERS: Record<SecretKey, { suffix: string; envVar: string; description: string }> = {
  discovery: {
    suffix: 'discovery-api-key',
    envVar: 'DISCOVERY_API_KEY_PARAM',
    description: 'Ticketmaster Discovery API key',
  },
  bitly: { suffix: 'bitly-token', envVar: 'BITLY_TOKEN_PARAM', description: 'Bitly access token' },
  sms: { suffix: 'sms-auth-token', envVar: 'SMS_AUTH_TOKEN_PARAM', description: 'SMS provider auth token' },
  contactHash: {
    suffix: 'contact-hash-key',
    envVar: 'CONTACT_HASH_KEY_PARAM',
    description: 'Key of the contact hashes (opt-outs, consents): 32+ random characters, one per stage',
  },
  unsubscribe: {
    suffix: 'unsubscribe-secret',
    envVar: 'UNSUBSCRIBE_SECRET_PARAM',
    description: 'Key that signs the one-click unsubscribe links of reminder emails',
  },
};

/** Value of a parameter whose real value an operator sets with `aws ssm put-parameter --overwrite`. */
export { UNSET_SECRET_VALUE };

export interface SecretsArgs {
  stage: string;
  /** Values kept in the stack configuration (`pulumi config set --secret`); absent keys are left to operators. */
  values: Partial<Record<SecretKey, pulumi.Input<string>>>;
}

/**
 * SSM SecureString parameters for the Discovery key, the Bitly token and the SMS auth token. A value given
 * in the stack configuration is managed by Pulumi; otherwise the parameter is created with a placeholder
 * and Pulumi never touches its value again (ignoreChanges), so operators own it.
 */
export class Secrets extends pulumi.ComponentResource {
  readonly secrets: Record<SecretKey, SecretRef>;

  constructor(name: string, args: SecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    super('dmd:secrets:Secrets', name, {}, opts);
    const entries = (Object.keys(SECRET_PARAMETERS) as SecretKey[]).map((key): [SecretKey, SecretRef] => {
      const spec = SECRET_PARAMETERS[key];
      const given = args.values[key];
      const parameter = new aws.ssm.Parameter(
        `${name}-${spec.suffix}`,
        {
          name: parameterName(args.stage, spec.suffix),
          type: 'SecureString',
          description: spec.description,
          value: pulumi.secret(given ?? UNSET_SECRET_VALUE),
        },
        { parent: this, ...(given === undefined ? { ignoreChanges: ['value'] } : {}) },
      );
      return [key, { key, envVar: spec.envVar, name: parameter.name, arn: parameter.arn }];
    });
    this.secrets = Object.fromEntries(entries) as Record<SecretKey, SecretRef>;
    this.registerOutputs({
      parameterNames: Object.fromEntries(entries.map(([key, ref]) => [key, ref.name])),
    });
  }
}
