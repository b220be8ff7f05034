import { twilioSignature, verifyTwilioSignature } from '#shared/clients/twilio-signature';

// Twilio's documented example (Security: validating requests). The docs have shown it with two
// caller numbers over time; each has its own published signature.
const AUTH_TOKEN = '12345';
const URL_ = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675310',
  Digits: '1234',
  From: '+14158675310',
  To: '+18005551212',
};
const EXPECTED = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';
const PARAMS_2 = { ...PARAMS, Caller: '+12349013030', From: '+12349013030' };
const EXPECTED_2 = '0/KCTR6DLpKmkAf8muzZqo1nDgQ=';

describe('Twilio request signatures', () => {
  it('computes the documented signatures', () => {
    expect(twilioSignature(AUTH_TOKEN, URL_, PARAMS)).toBe(EXPECTED);
    expect(twilioSignature(AUTH_TOKEN, URL_, PARAMS_2)).toBe(EXPECTED_2);
  });

  it('does not depend on the order of the parameters', () => {
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(twilioSignature(AUTH_TOKEN, URL_, reversed)).toBe(EXPECTED);
  });

  it('verifies the documented signature and rejects tampering', () => {
    expect(verifyTwilioSignature(AUTH_TOKEN, URL_, PARAMS, EXPECTED)).toBe(true);
    expect(verifyTwilioSignature(AUTH_TOKEN, URL_, { ...PARAMS, Digits: '1235' }, EXPECTED)).toBe(false);
    expect(verifyTwilioSignature(AUTH_TOKEN, `${URL_}&key=x`, PARAMS, EXPECTED)).toBe(false);
    expect(verifyTwilioSignature('54321', URL_, PARAMS, EXPECTED)).toBe(false);
    expect(verifyTwilioSignature(AUTH_TOKEN, URL_, PARAMS, undefined)).toBe(false);
    expect(verifyTwilioSignature(AUTH_TOKEN, URL_, PARAMS, 'short')).toBe(false);
  });

  it('accepts a signature made over the URL with the default port spelled out', () => {
    const withPort = 'https://mycompany.com:443/myapp.php?foo=1&bar=2';
    const signed = twilioSignature(AUTH_TOKEN, withPort, PARAMS);
    expect(verifyTwilioSignature(AUTH_TOKEN, URL_, PARAMS, signed)).toBe(true);
  });

  it('signs repeated parameters value by value, sorted', () => {
    const a = twilioSignature(AUTH_TOKEN, URL_, { MediaUrl: ['b', 'a'] });
    const b = twilioSignature(AUTH_TOKEN, URL_, { MediaUrl: ['a', 'b'] });
    expect(a).toBe(b);
    // name+value per value: "MediaUrlaMediaUrlb", not "MediaUrlab".
    expect(a).not.toBe(twilioSignature(AUTH_TOKEN, URL_, { MediaUrl: 'ab' }));
    expect(a).toBe(twilioSignature(AUTH_TOKEN, `${URL_}MediaUrlaMediaUrlb`));
  });
});
