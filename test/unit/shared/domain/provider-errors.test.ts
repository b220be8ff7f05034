import { classifyProviderError, type ProviderFailure } from '#shared/domain/provider-errors';

describe('classifyProviderError', () => {
  it.each<[string, ProviderFailure, string, boolean, string]>([
    ['HTTP 500', { httpStatus: 500 }, 'retryable', false, 'SERVER_ERROR'],
    ['HTTP 503', { httpStatus: 503 }, 'retryable', false, 'SERVER_ERROR'],
    ['HTTP 429', { httpStatus: 429 }, 'retryable', false, 'RATE_LIMITED'],
    ['Twilio 20429', { httpStatus: 429, code: 20429 }, 'retryable', false, 'RATE_LIMITED'],
    ['Twilio 20429 as text', { code: '20429' }, 'retryable', false, 'RATE_LIMITED'],
    ['time-out', { timedOut: true }, 'retryable', false, 'TIMEOUT'],
    ['HTTP 408', { httpStatus: 408 }, 'retryable', false, 'TIMEOUT'],
    ['connection reset', { networkError: true }, 'retryable', false, 'NETWORK_ERROR'],
    ['invalid number 21211', { httpStatus: 400, code: 21211 }, 'permanent', true, 'INVALID_NUMBER'],
    ['not mobile 21614', { httpStatus: 400, code: 21614 }, 'permanent', true, 'NOT_MOBILE'],
    ['opted out 21610', { httpStatus: 400, code: '21610' }, 'permanent', true, 'OPTED_OUT'],
    ['unknown destination 30005', { code: 30005 }, 'permanent', true, 'UNKNOWN_DESTINATION'],
    ['landline 30006', { code: 30006 }, 'permanent', true, 'LANDLINE'],
    ['filtered 30007', { code: 30007 }, 'permanent', false, 'FILTERED'],
    ['unknown 4xx', { httpStatus: 404 }, 'permanent', false, 'CLIENT_ERROR'],
    [
      'Twilio credentials refused 20003',
      { httpStatus: 401, code: 20003 },
      'configuration',
      false,
      'PROVIDER_AUTH_FAILED',
    ],
    ['HTTP 401 without a code', { httpStatus: 401 }, 'configuration', false, 'PROVIDER_AUTH_FAILED'],
    ['HTTP 403', { httpStatus: 403 }, 'configuration', false, 'PROVIDER_FORBIDDEN'],
    [
      'Twilio account not active 20005',
      { httpStatus: 401, code: 20005 },
      'configuration',
      false,
      'PROVIDER_ACCOUNT_INACTIVE',
    ],
    [
      'SES bad credentials',
      { httpStatus: 403, code: 'UnrecognizedClientException' },
      'configuration',
      false,
      'PROVIDER_AUTH_FAILED',
    ],
    [
      'SES sending paused',
      { httpStatus: 400, code: 'SendingPausedException' },
      'configuration',
      false,
      'PROVIDER_ACCOUNT_INACTIVE',
    ],
    [
      'SES template missing',
      { httpStatus: 404, code: 'NotFoundException' },
      'configuration',
      false,
      'PROVIDER_TEMPLATE_MISSING',
    ],
    [
      'SES recipient rejected',
      { httpStatus: 400, code: 'MessageRejected' },
      'permanent',
      false,
      'CLIENT_ERROR',
    ],
    ['Twilio queue overflow 30001', { httpStatus: 400, code: 30001 }, 'retryable', false, 'QUEUE_OVERFLOW'],
    ['unknown 4xx with unknown code', { httpStatus: 400, code: 21999 }, 'permanent', false, 'CLIENT_ERROR'],
    ['unknown code with 5xx', { httpStatus: 502, code: 99999 }, 'retryable', false, 'SERVER_ERROR'],
    ['Twilio unknown error 30008', { code: 30008 }, 'retryable', false, 'UNKNOWN_DELIVERY_ERROR'],
    ['unknown code without status', { code: 39999 }, 'permanent', false, 'UNKNOWN_ERROR'],
    ['nothing known', {}, 'permanent', false, 'UNKNOWN_ERROR'],
  ])('%s', (_label, failure, kind, optOut, reason) => {
    expect(classifyProviderError(failure)).toEqual({ kind, optOut, reason });
  });

  it('fails only the one notification when the SES sandbox refuses an unverified recipient, despite the 403', () => {
    expect(classifyProviderError({ httpStatus: 403, code: 'SandboxRecipientNotVerified' })).toEqual({
      kind: 'permanent',
      optOut: false,
      reason: 'SANDBOX_RECIPIENT_NOT_VERIFIED',
    });
    expect(classifyProviderError({ httpStatus: 403, code: 'AccessDeniedException' }).kind).toBe(
      'configuration',
    );
  });

  it('lets a known permanent code win over a retryable status', () => {
    expect(classifyProviderError({ httpStatus: 500, code: 21610 }).kind).toBe('permanent');
  });

  it('returns a fresh object each time', () => {
    const a = classifyProviderError({ code: 21211 });
    a.optOut = false;
    expect(classifyProviderError({ code: 21211 }).optOut).toBe(true);
  });
});
