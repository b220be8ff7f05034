import * as pulumi from '@pulumi/pulumi';
import { createFanPool, FAN_TOKEN_VALIDITY } from '#infra/components/fan-pool';

interface Registered {
  type: string;
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary resource inputs
  inputs: Record<string, any>;
}

async function synth(): Promise<{ resources: Registered[]; userPoolId: string; clientId: string }> {
  const resources: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs } };
      },
      call: () => ({}),
    },
    'dmd-workers',
    'test',
    false,
  );
  const fans = createFanPool({ poolName: 'dev-fans', clientName: 'dev-fans-web', deletionProtection: false });
  const [userPoolId, clientId] = await new Promise<[string, string]>((resolve) =>
    pulumi.all([fans.userPoolId, fans.clientId]).apply(([pool, client]) => resolve([pool, client])),
  );
  await pulumi.runtime.disconnect();
  return { resources, userPoolId, clientId };
}

describe('the fans’ user pool and its app client (Pulumi mocks)', () => {
  let synthesized: Awaited<ReturnType<typeof synth>>;
  beforeAll(async () => {
    synthesized = await synth();
  });

  it('keeps the pool at its deployed name, at the top of the stack (no parent to change its URN)', () => {
    const pool = synthesized.resources.find((r) => r.type === 'aws:cognito/userPool:UserPool');
    expect(pool).toMatchObject({
      name: 'dev-fans',
      inputs: { name: 'dev-fans', usernameAttributes: ['email'] },
    });
    expect(synthesized.resources.map((r) => r.type).sort()).toEqual([
      'aws:cognito/userPool:UserPool',
      'aws:cognito/userPoolClient:UserPoolClient',
    ]);
  });

  it('gives the sites and apps a public client of that pool: no secret, SRP and refresh only, explicit token lifetimes', () => {
    const client = synthesized.resources.find((r) => r.type === 'aws:cognito/userPoolClient:UserPoolClient');
    expect(client?.inputs).toMatchObject({
      name: 'dev-fans-web',
      userPoolId: 'dev-fans-id',
      generateSecret: false,
      explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      accessTokenValidity: 60,
      idTokenValidity: 60,
      refreshTokenValidity: 30,
      tokenValidityUnits: { accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' },
      preventUserExistenceErrors: 'ENABLED',
      enableTokenRevocation: true,
    });
    expect(client?.inputs.allowedOauthFlows).toBeUndefined();
  });

  it('sets token lifetimes Cognito accepts (access and ID 5 min to 1 day, refresh 60 min to 10 years)', () => {
    for (const minutes of [FAN_TOKEN_VALIDITY.accessTokenMinutes, FAN_TOKEN_VALIDITY.idTokenMinutes]) {
      expect(minutes).toBeGreaterThanOrEqual(5);
      expect(minutes).toBeLessThanOrEqual(24 * 60);
    }
    expect(FAN_TOKEN_VALIDITY.refreshTokenDays * 24 * 60).toBeGreaterThanOrEqual(60);
    expect(FAN_TOKEN_VALIDITY.refreshTokenDays).toBeLessThanOrEqual(3650);
  });

  it('hands out the pool id and client id a front end signs in with', () => {
    expect(synthesized.userPoolId).toBe('dev-fans-id');
    expect(synthesized.clientId).toBe('dev-fans-web-id');
  });
});
