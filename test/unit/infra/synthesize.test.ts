import { secretWarnings } from '#infra/synthesize';

describe('synth warnings', () => {
  it('names each provider secret left to operators, and one kept as plain text', () => {
    const warnings = secretWarnings(
      { 'dmd:discoveryApiKey': '[secret]', 'dmd:bitlyToken': 'abc' },
      ['dmd:discoveryApiKey'],
      'dev',
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^dmd:bitlyToken is in Pulumi.dev.yaml as plain text/),
      expect.stringMatching(/^dmd:smsAuthToken is not set: .*placeholder.*fail their cold start/),
      expect.stringMatching(/^dmd:contactHashKey is not set/),
      expect.stringMatching(/^dmd:unsubscribeSecret is not set/),
    ]);
  });
});
