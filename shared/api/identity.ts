/**
 * Who the caller is. The fan is always the verified caller, never an argument:
 * - a Cognito user pool token (the sites and apps): the fan id is the token's `sub`;
 * - IAM (SigV4, server-to-server callers of the account, not a Cognito identity pool guest): the caller
 *   acts for a fan named in the `x-fan-id` header, trusted only because IAM authorized the caller;
 * - an API key or no identity: no fan at all (only eventDetails and confirmContact are open to it).
 * AppSync's identity shapes: https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html#aws-appsync-resolver-context-reference-identity-js
 */
import { UnauthorizedError } from './errors';

/** The header an IAM caller names the fan with (lower case, as AppSync passes request headers). */
export const FAN_ID_HEADER = 'x-fan-id';

const FAN_ID = /^[^#\s\p{Cc}]{1,128}$/u;

export type Caller = { kind: 'fan'; fanId: string; via: 'cognito' | 'iam' } | { kind: 'anonymous' };

interface IdentityLike {
  sub?: unknown;
  issuer?: unknown;
  userArn?: unknown;
  accountId?: unknown;
  cognitoIdentityPoolId?: unknown;
  cognitoIdentityAuthType?: unknown;
}

function fanIdOrThrow(value: unknown, where: string): string {
  if (typeof value !== 'string' || !FAN_ID.test(value)) {
    throw new UnauthorizedError(`${where} is not a usable fan id`);
  }
  return value;
}

/** The caller of a resolver event, from its `identity` and (IAM only) its request headers. */
export function callerOf(identity: unknown, headers: Record<string, unknown> | null | undefined): Caller {
  if (identity === null || identity === undefined || typeof identity !== 'object') {
    return { kind: 'anonymous' };
  }
  const id = identity as IdentityLike;
  if (typeof id.sub === 'string' && typeof id.issuer === 'string') {
    return { kind: 'fan', fanId: fanIdOrThrow(id.sub, 'the token subject'), via: 'cognito' };
  }
  if (typeof id.userArn === 'string' || typeof id.accountId === 'string') {
    // An identity pool's credentials are IAM too, and guests get them without signing in: not trusted.
    if (id.cognitoIdentityPoolId || id.cognitoIdentityAuthType) {
      throw new UnauthorizedError('identity pool credentials cannot act for a fan');
    }
    const header = headers?.[FAN_ID_HEADER];
    if (header === undefined) throw new UnauthorizedError(`IAM callers name the fan in ${FAN_ID_HEADER}`);
    return { kind: 'fan', fanId: fanIdOrThrow(header, FAN_ID_HEADER), via: 'iam' };
  }
  return { kind: 'anonymous' };
}

/** The fan the request acts for; Unauthorized for an API key or an anonymous caller. */
export function requireFan(identity: unknown, headers: Record<string, unknown> | null | undefined): string {
  const caller = callerOf(identity, headers);
  if (caller.kind !== 'fan') throw new UnauthorizedError('sign in to manage reminders');
  return caller.fanId;
}
