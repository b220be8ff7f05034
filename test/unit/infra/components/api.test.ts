import * as pulumi from '@pulumi/pulumi';
import {
  API_KEY_MAX_DAYS,
  API_RESOLVER_FIELDS,
  type ApiAuth,
  ApiComponent,
  apiKeyExpiry,
  loadApiSources,
} from '#infra/components/api';
import { API_FIELDS } from '#shared/api/resolver';
import { ROOT } from '#test/helpers/paths';

interface Registered {
  type: string;
  name: string;
  // Inputs as the mocks receive them: plain JSON of the resource's arguments.
  // biome-ignore lint/suspicious/noExplicitAny: assertions walk arbitrary resource inputs
  inputs: Record<string, any>;
}

const FUNCTION_ARN = 'arn:aws:lambda:us-east-1:123456789012:function:dev-api';

async function synth(auth: ApiAuth): Promise<{ resources: Registered[]; component: ApiComponent }> {
  const resources: Registered[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name, inputs: args.inputs });
        const state: Record<string, unknown> = {
          ...args.inputs,
          arn: `arn:aws:mock:::${args.name}`,
        };
        if (args.type === 'aws:appsync/graphQLApi:GraphQLApi') {
          state.uris = { GRAPHQL: `https://${args.name}.appsync-api.us-east-1.amazonaws.com/graphql` };
        }
        if (args.type === 'aws:appsync/apiKey:ApiKey') state.key = 'da2-mock';
        return { id: `${args.name}-id`, state };
      },
      call: () => ({}),
    },
    'dmd-workers',
    'test',
    false,
  );
  const sources = loadApiSources(ROOT);
  const component = new ApiComponent('dev-api', {
    apiName: 'dev-api',
    ...sources,
    functionArn: FUNCTION_ARN,
    auth,
    logRetentionDays: 14,
  });
  await new Promise<void>((resolve) =>
    pulumi.all(component.resolvers.map((r) => r.id)).apply(() => resolve()),
  );
  await new Promise<void>((resolve) => component.url.apply(() => resolve()));
  await pulumi.runtime.disconnect();
  return { resources, component };
}

const ofType = (resources: Registered[], type: string) => resources.filter((r) => r.type === type);

describe('ApiComponent', () => {
  it('dev: API key auth, the repository schema, field logs without verbose content', async () => {
    const { resources } = await synth({ mode: 'API_KEY', expires: '2027-06-01T00:00:00Z' });

    const [api] = ofType(resources, 'aws:appsync/graphQLApi:GraphQLApi');
    expect(api?.inputs).toMatchObject({
      name: 'dev-api',
      authenticationType: 'API_KEY',
      xrayEnabled: true,
      logConfig: { fieldLogLevel: 'ERROR', excludeVerboseContent: true },
    });
    expect(api?.inputs.schema).toBe(loadApiSources(ROOT).schema);
    expect(ofType(resources, 'aws:appsync/apiKey:ApiKey')).toEqual([
      expect.objectContaining({ inputs: expect.objectContaining({ expires: '2027-06-01T00:00:00Z' }) }),
    ]);
  });

  it('one Lambda data source and one APPSYNC_JS resolver per schema field', async () => {
    const { resources } = await synth({ mode: 'API_KEY', expires: '2027-06-01T00:00:00Z' });

    const sources = ofType(resources, 'aws:appsync/dataSource:DataSource');
    expect(sources).toHaveLength(1);
    expect(sources[0]?.inputs).toMatchObject({
      type: 'AWS_LAMBDA',
      lambdaConfig: { functionArn: FUNCTION_ARN },
    });
    const resolvers = ofType(resources, 'aws:appsync/resolver:Resolver');
    const fields = resolvers.map((r) => `${r.inputs.type}.${r.inputs.field}`).sort();
    expect(fields).toEqual(
      [
        ...API_FIELDS.Query.map((f) => `Query.${f}`),
        ...API_FIELDS.Mutation.map((f) => `Mutation.${f}`),
      ].sort(),
    );
    expect(API_RESOLVER_FIELDS).toEqual(API_FIELDS);
    for (const resolver of resolvers) {
      expect(resolver.inputs).toMatchObject({
        kind: 'UNIT',
        runtime: { name: 'APPSYNC_JS', runtimeVersion: '1.0.0' },
        code: loadApiSources(ROOT).resolverCode,
      });
    }
  });

  it('the data source role may invoke the resolver function only', async () => {
    const { resources } = await synth({ mode: 'API_KEY', expires: '2027-06-01T00:00:00Z' });

    const policies = ofType(resources, 'aws:iam/rolePolicy:RolePolicy').map((p) =>
      JSON.parse(p.inputs.policy),
    );
    const invoke = policies.find((doc) => doc.Statement[0].Sid === 'InvokeResolverFunction');
    expect(invoke.Statement).toEqual([
      {
        Sid: 'InvokeResolverFunction',
        Effect: 'Allow',
        Action: ['lambda:InvokeFunction'],
        Resource: [FUNCTION_ARN, `${FUNCTION_ARN}:*`],
      },
    ]);
    const roles = ofType(resources, 'aws:iam/role:Role').map((r) => JSON.parse(r.inputs.assumeRolePolicy));
    for (const trust of roles) expect(trust.Statement[0].Principal.Service).toBe('appsync.amazonaws.com');
  });

  it.each([
    [{ mode: 'AWS_IAM' } as ApiAuth, { authenticationType: 'AWS_IAM' }],
    [
      { mode: 'AMAZON_COGNITO_USER_POOLS', userPoolId: 'us-east-1_pool', region: 'us-east-1' } as ApiAuth,
      {
        authenticationType: 'AMAZON_COGNITO_USER_POOLS',
        userPoolConfig: { userPoolId: 'us-east-1_pool', awsRegion: 'us-east-1', defaultAction: 'ALLOW' },
      },
    ],
  ])('prod: %j auth and no API key', async (auth, expected) => {
    const { resources, component } = await synth(auth);

    expect(ofType(resources, 'aws:appsync/graphQLApi:GraphQLApi')[0]?.inputs).toMatchObject(expected);
    expect(ofType(resources, 'aws:appsync/apiKey:ApiKey')).toHaveLength(0);
    expect(component.apiKey).toBeUndefined();
  });

  it('a malformed API key expiry fails the program with the API name', () => {
    expect(
      () =>
        new ApiComponent('bad', {
          apiName: 'dev-api',
          ...loadApiSources(ROOT),
          functionArn: FUNCTION_ARN,
          auth: { mode: 'API_KEY', expires: 'next year' },
          logRetentionDays: 14,
        }),
    ).toThrow("dev-api: API key expiry 'next year' is not an instant");
  });
});

describe('apiKeyExpiry', () => {
  it('is the given number of days after the start of the deploy day (UTC), in RFC 3339', () => {
    expect(apiKeyExpiry(new Date('2026-12-02T03:14:15.926Z'), 365)).toBe('2027-12-02T00:00:00Z');
    expect(apiKeyExpiry(new Date('2026-12-02T23:59:59Z'), 30)).toBe('2027-01-01T00:00:00Z');
  });

  it('stays within the 1 to 365 days AppSync accepts, whatever the hour of the deploy', () => {
    const day = 24 * 3600 * 1000;
    for (const now of [new Date('2026-12-02T00:00:00Z'), new Date('2026-12-02T23:59:59Z')]) {
      for (const days of [2, 365]) {
        const ahead = Date.parse(apiKeyExpiry(now, days)) - now.getTime();
        expect(ahead).toBeGreaterThanOrEqual(day);
        expect(ahead).toBeLessThanOrEqual(API_KEY_MAX_DAYS * day);
      }
    }
  });

  it('refuses a validity AppSync would reject', () => {
    expect(() => apiKeyExpiry(new Date(), 366)).toThrow('API key validity of 366 days is outside 2-365');
    expect(() => apiKeyExpiry(new Date(), 1)).toThrow('outside 2-365');
  });
});
