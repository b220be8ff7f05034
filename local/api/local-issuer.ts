/**
 * The local stand-in for the Cognito user pool: an issuer that signs ID tokens (JWT, HS256) for a fan
 * id, and the check `npm run api` applies to `Authorization: Bearer <token>` with the same rules
 * AppSync applies to a user pool token (signature, issuer, audience, expiry, token use), through `jose`.
 * The claims mirror a Cognito ID token's (sub, iss, aud, token_use, cognito:username, auth_time, exp):
 * https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-using-the-id-token.html
 * The key is a fixed local value, or LOCAL_ISSUER_SECRET: it protects nothing outside this machine.
 */
import { errors, jwtVerify, SignJWT } from 'jose';

export const LOCAL_ISSUER = 'https://local-issuer.dmd-workers.invalid/local_pool';
export const LOCAL_AUDIENCE = 'dmd-local-api';
const DEFAULT_SECRET = 'dmd-local-issuer-key-for-this-machine-only-0001';

function key(env: Record<string, string | undefined> = process.env): Uint8Array {
  return new TextEncoder().encode(env.LOCAL_ISSUER_SECRET ?? DEFAULT_SECRET);
}

/** A signed ID token for `fanId`, valid `ttlSeconds` (default 1 h, as Cognito's). */
export async function issueLocalToken(fanId: string, ttlSeconds = 3600, now = new Date()): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({ token_use: 'id', 'cognito:username': fanId, auth_time: issuedAt })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(fanId)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(key());
}

/** AppSync's Cognito identity of a resolver event (the fields the resolvers read). */
export interface CognitoIdentity {
  sub: string;
  issuer: string;
  username: string;
  claims: Record<string, unknown>;
  sourceIp: string[];
  defaultAuthStrategy: 'ALLOW';
  groups: null;
}

export class InvalidTokenError extends Error {
  constructor(reason: string, options?: ErrorOptions) {
    super(`Invalid token: ${reason}`, options);
    this.name = 'InvalidTokenError';
  }
}

/** Verifies an Authorization header value ('Bearer <jwt>' or the bare JWT, as AppSync accepts). */
export async function verifyLocalToken(authorization: string, sourceIp: string): Promise<CognitoIdentity> {
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  if (token === '') throw new InvalidTokenError('empty');
  try {
    const { payload } = await jwtVerify(token, key(), {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: ['HS256'],
      requiredClaims: ['sub', 'exp', 'iat'],
    });
    if (payload.token_use !== 'id' && payload.token_use !== 'access') {
      throw new InvalidTokenError('token_use is neither id nor access');
    }
    const sub = payload.sub ?? '';
    return {
      sub,
      issuer: LOCAL_ISSUER,
      username: typeof payload['cognito:username'] === 'string' ? payload['cognito:username'] : sub,
      claims: { ...payload },
      sourceIp: [sourceIp],
      defaultAuthStrategy: 'ALLOW',
      groups: null,
    };
  } catch (error: unknown) {
    if (error instanceof InvalidTokenError) throw error;
    const reason = error instanceof errors.JOSEError ? error.code : 'unreadable';
    throw new InvalidTokenError(reason, { cause: error });
  }
}
