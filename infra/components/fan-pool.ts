/**
 * The fans' Cognito user pool and the app client the sites and apps sign in with. The pool's `sub` is the
 * fan id of every sign-up (shared/api/identity.ts); the API accepts its tokens (AMAZON_COGNITO_USER_POOLS).
 *
 * The client is a public client: it runs in browsers and on phones, which cannot keep a secret, so it has
 * none ("A public client runs in a browser or on a mobile device. Because it does not have trusted
 * server-side resources, it does not have a client secret",
 * https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html). It signs
 * in with SRP, so the password never leaves the device, and renews its tokens with the refresh token
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/amazon-cognito-user-pools-authentication-flow-methods.html);
 * no other flow is allowed. Token lifetimes are set here rather than left to Cognito's defaults, within
 * its bounds (access and ID tokens five minutes to one day, refresh tokens 60 minutes to 10 years:
 * https://docs.aws.amazon.com/cognito-user-identity-pools/latest/APIReference/API_TokenValidityUnitsType.html).
 *
 * The resources have no component parent, so the pool keeps the name and URN it was deployed with.
 */
import * as aws from '@pulumi/aws';
import type * as pulumi from '@pulumi/pulumi';

/** Sign-in flows of the app client: SRP and refresh only (no plain password, no admin flow). */
export const FAN_CLIENT_AUTH_FLOWS = ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'] as const;

/** Token lifetimes of the app client. */
export const FAN_TOKEN_VALIDITY = {
  /** Access and ID tokens: what the API checks on every request; short, a stolen one soon expires. */
  accessTokenMinutes: 60,
  idTokenMinutes: 60,
  /** Refresh token: how long a fan stays signed in on a device without entering the password again. */
  refreshTokenDays: 30,
} as const;

export interface FanPoolArgs {
  /** Physical names: the pool (`<stage>-fans`) and its client (`<stage>-fans-web`). */
  poolName: string;
  clientName: string;
  /** Refuse to delete the pool (prod: the fans' accounts). */
  deletionProtection: boolean;
}

export interface FanPool {
  pool: aws.cognito.UserPool;
  client: aws.cognito.UserPoolClient;
  /** What a front end needs to sign fans in. */
  userPoolId: pulumi.Output<string>;
  clientId: pulumi.Output<string>;
}

export function createFanPool(args: FanPoolArgs): FanPool {
  const pool = new aws.cognito.UserPool(args.poolName, {
    name: args.poolName,
    usernameAttributes: ['email'],
    autoVerifiedAttributes: ['email'],
    passwordPolicy: {
      minimumLength: 12,
      requireLowercase: true,
      requireNumbers: true,
      requireSymbols: false,
      requireUppercase: true,
    },
    deletionProtection: args.deletionProtection ? 'ACTIVE' : 'INACTIVE',
  });
  const client = new aws.cognito.UserPoolClient(args.clientName, {
    name: args.clientName,
    userPoolId: pool.id,
    generateSecret: false,
    explicitAuthFlows: [...FAN_CLIENT_AUTH_FLOWS],
    accessTokenValidity: FAN_TOKEN_VALIDITY.accessTokenMinutes,
    idTokenValidity: FAN_TOKEN_VALIDITY.idTokenMinutes,
    refreshTokenValidity: FAN_TOKEN_VALIDITY.refreshTokenDays,
    tokenValidityUnits: { accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' },
    // Sign-in answers the same for an unknown address as for a wrong password.
    preventUserExistenceErrors: 'ENABLED',
    enableTokenRevocation: true,
    readAttributes: ['email', 'email_verified'],
    writeAttributes: ['email'],
  });
  return { pool, client, userPoolId: pool.id, clientId: client.id };
}
