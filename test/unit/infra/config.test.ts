import { parseStageConfig } from '#infra/config';
import { StageConfigError } from '#infra/errors';
import { readStackConfig } from '#infra/synthesize';
import { ROOT } from '#test/helpers/paths';

const valid = (): Record<string, string | undefined> => ({
  stage: 'dev',
  region: 'us-east-1',
  emailFrom: 'reminders@example.com',
  smsAccountSid: `AC${'0'.repeat(32)}`,
  smsMessagingServiceSid: `MG${'a'.repeat(32)}`,
});

function issuesOf(raw: Record<string, string | undefined>): string[] {
  try {
    parseStageConfig(raw);
  } catch (error: unknown) {
    if (error instanceof StageConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a StageConfigError');
}

describe('parseStageConfig', () => {
  it('fills the documented defaults around the required keys', () => {
    const config = parseStageConfig(valid());

    expect(config).toMatchObject({
      leadMinutes: 30,
      shardCount: 16,
      pageSize: 100,
      scheduleEnabled: true,
      supportedCountries: ['US', 'CA'],
      allowedSegments: ['Music', 'Arts & Theatre'],
      suppressedSaleTypes: ['registration'],
      suppressedArtistIds: [],
      logRetentionDays: 30,
      natGateways: 1,
      apiAuth: 'API_KEY',
    });
  });

  it('reads numbers, booleans and lists as Pulumi hands them over (strings, JSON lists)', () => {
    const config = parseStageConfig({
      ...valid(),
      leadMinutes: '45',
      scheduleEnabled: 'false',
      supportedCountries: '["US"]',
      suppressedArtistIds: 'K8vZ1,K8vZ2',
    });

    expect(config.leadMinutes).toBe(45);
    expect(config.scheduleEnabled).toBe(false);
    expect(config.supportedCountries).toEqual(['US']);
    expect(config.suppressedArtistIds).toEqual(['K8vZ1', 'K8vZ2']);
  });

  it('names a missing key and how to set it', () => {
    const { emailFrom: _omitted, ...raw } = valid();

    expect(issuesOf(raw)).toEqual([
      'dmd:emailFrom is missing: set it with `pulumi config set dmd:emailFrom <value>`',
    ]);
  });

  it('asks for the user pool when the API authenticates with Cognito', () => {
    expect(issuesOf({ ...valid(), apiAuth: 'AMAZON_COGNITO_USER_POOLS' })).toEqual([
      'dmd:apiUserPoolId is missing: apiAuth AMAZON_COGNITO_USER_POOLS needs the user pool id',
    ]);
    expect(
      parseStageConfig({ ...valid(), apiAuth: 'AMAZON_COGNITO_USER_POOLS', apiUserPoolId: 'us-east-1_abc' })
        .apiUserPoolId,
    ).toBe('us-east-1_abc');
  });

  it('names the region key as aws:region', () => {
    expect(issuesOf({ ...valid(), region: undefined })[0]).toMatch(/^aws:region is missing/);
  });

  it('names an invalid key and what is wrong with it', () => {
    const issues = issuesOf({
      ...valid(),
      leadMinutes: 'soon',
      logRetentionDays: '10',
      smsAccountSid: 'XX1',
    });

    expect(issues).toEqual(
      expect.arrayContaining([
        'dmd:leadMinutes must be a number',
        expect.stringMatching(/^dmd:logRetentionDays must be one of 1, 3, 5/),
        'dmd:smsAccountSid must be "AC" followed by 32 hex digits',
      ]),
    );
    expect(issues).toHaveLength(3);
  });

  it('rejects values out of range and unknown enum members', () => {
    const issues = issuesOf({
      ...valid(),
      shardCount: '0',
      scheduleEnabled: 'yes',
      suppressedSaleTypes: '["registration","raffle"]',
      vpcCidr: '10.0.0.0/8',
    });

    expect(issues.map((issue) => issue.split(' ')[0])).toEqual(
      expect.arrayContaining([
        'dmd:shardCount',
        'dmd:scheduleEnabled',
        'dmd:suppressedSaleTypes',
        'dmd:vpcCidr',
      ]),
    );
    expect(issues.find((issue) => issue.startsWith('dmd:shardCount'))).toBe(
      'dmd:shardCount must be at least 1',
    );
  });

  it('accepts VPC ranges from /16 to /20 that start at their network address', () => {
    for (const vpcCidr of ['10.20.0.0/16', '10.20.128.0/17', '10.20.16.0/20']) {
      expect(parseStageConfig({ ...valid(), vpcCidr }).vpcCidr).toBe(vpcCidr);
    }
    expect(issuesOf({ ...valid(), vpcCidr: '10.20.17.0/20' })).toEqual([
      'dmd:vpcCidr must start at its network address (host bits zero, e.g. 10.20.16.0/20)',
    ]);
    expect(issuesOf({ ...valid(), vpcCidr: '10.20.0.0/21' })).toEqual([
      'dmd:vpcCidr must be a valid IPv4 CIDR with a prefix between /16 and /20 (room for four /24 subnets or more)',
    ]);
    expect(issuesOf({ ...valid(), vpcCidr: 'ten' })).toEqual([
      'dmd:vpcCidr must be an IPv4 CIDR such as 10.20.0.0/16',
    ]);
  });

  it('asks a stage in the SES sandbox for its verified recipients, and only such a stage', () => {
    expect(issuesOf({ ...valid(), sesSandbox: 'true' })).toEqual([
      'dmd:sesVerifiedRecipients is empty while dmd:sesSandbox is true: in the SES sandbox every email to an ' +
        'unverified recipient is refused, so list the addresses this stage may email, or leave the sandbox ' +
        '(docs/DEPLOY.md, "SES sandbox")',
    ]);
    expect(issuesOf({ ...valid(), sesVerifiedRecipients: '["qa@example.com"]' })).toEqual([
      'dmd:sesVerifiedRecipients is only used with dmd:sesSandbox true: remove it, or set dmd:sesSandbox true',
    ]);
    expect(issuesOf({ ...valid(), sesSandbox: 'true', sesVerifiedRecipients: '["not an address"]' })).toEqual(
      ['dmd:sesVerifiedRecipients must be an e-mail address'],
    );
    const config = parseStageConfig({
      ...valid(),
      sesSandbox: 'true',
      sesVerifiedRecipients: 'a@x.com,b@x.com',
    });
    expect(config).toMatchObject({ sesSandbox: true, sesVerifiedRecipients: ['a@x.com', 'b@x.com'] });
    expect(parseStageConfig(valid())).toMatchObject({ sesSandbox: false, sesVerifiedRecipients: [] });
  });

  it('refuses an SMS opt-out sentence that overflows the longest reminder, naming the key', () => {
    expect(
      issuesOf({ ...valid(), smsOptOutTextFr: 'Répondez ARRET pour ne plus recevoir de rappels' }),
    ).toEqual([
      expect.stringMatching(
        /^dmd:smsOptOutTextFr: 47 characters .* 8 over one SMS segment .*shorten it by 8/,
      ),
    ]);
    expect(parseStageConfig({ ...valid(), smsOptOutTextEn: 'Txt STOP to end' })).toMatchObject({
      smsOptOutTextEn: 'Txt STOP to end',
    });
  });

  it('refuses a branded short domain whose links would not fit the 30 characters an SMS keeps for its link', () => {
    expect(parseStageConfig({ ...valid(), bitlyDomain: 'tmtix.example' }).bitlyDomain).toBe('tmtix.example');
    expect(parseStageConfig({ ...valid(), bitlyDomain: 'abcdefghij.com' }).bitlyDomain).toBe(
      'abcdefghij.com',
    );
    expect(issuesOf({ ...valid(), bitlyDomain: 'tickets.example.com' })).toEqual([
      expect.stringMatching(
        /^dmd:bitlyDomain must be at most 14 characters: https:\/\/<domain>\/ and a 7-character back-half/,
      ),
    ]);
  });

  it('puts every issue in the error message', () => {
    expect(() => parseStageConfig({ ...valid(), stage: 'Prod!' })).toThrow(
      /dmd:stage must be 2-12 characters/,
    );
  });
});

describe('the stage files', () => {
  it.each(['dev', 'prod.example'])('Pulumi.%s.yaml is complete and valid', (stack) => {
    const { config } = readStackConfig(ROOT, stack);
    const raw = Object.fromEntries(
      Object.entries(config)
        .filter(([key]) => key.startsWith('dmd:') || key === 'aws:region')
        .map(([key, value]) => [key === 'aws:region' ? 'region' : key.slice(4), value]),
    );
    expect(() => parseStageConfig(raw)).not.toThrow();
  });
});
