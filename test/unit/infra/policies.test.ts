import { PolicyError } from '#infra/errors';
import { childExecutionArnPattern, executionArnPattern, physicalName } from '#infra/naming';
import {
  assertLeastPrivilege,
  dynamoStatement,
  invokeFunctionsStatement,
  policyDocument,
  VPC_ACCESS_STATEMENT,
  XRAY_STATEMENT,
} from '#infra/policies';
import { IDEMPOTENCY_ACTIONS } from '#shared/catalog';

const TABLE = 'arn:aws:dynamodb:us-east-1:123456789012:table/dev-notifications';

describe('dynamoStatement', () => {
  it('scopes item actions to the table only', () => {
    const statement = dynamoStatement(TABLE, ['GetItem', 'UpdateItem']);
    expect(statement.Action).toEqual(['dynamodb:GetItem', 'dynamodb:UpdateItem']);
    expect(statement.Resource).toEqual([TABLE]);
  });

  it('adds the table indexes when the function queries', () => {
    expect(dynamoStatement(TABLE, ['Query']).Resource).toEqual([TABLE, `${TABLE}/index/*`]);
  });

  it('gives idempotency exactly what Powertools uses', () => {
    expect(dynamoStatement(TABLE, IDEMPOTENCY_ACTIONS).Action).toEqual([
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
    ]);
  });
});

describe('assertLeastPrivilege', () => {
  it('accepts the VPC and X-Ray statements, the only ones AWS forces onto "*"', () => {
    expect(() => policyDocument([VPC_ACCESS_STATEMENT, XRAY_STATEMENT])).not.toThrow();
  });

  it('rejects a wildcard action', () => {
    const document = policyDocument([]);
    document.Statement.push({ Effect: 'Allow', Action: ['dynamodb:*'], Resource: [TABLE] });
    expect(() => assertLeastPrivilege(document)).toThrow(PolicyError);
  });

  it('rejects "*" as the resource of a scopable action', () => {
    expect(() =>
      policyDocument([{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: ['*'] }]),
    ).toThrow(/dynamodb:GetItem/);
  });

  it('rejects "*" on "*"', () => {
    expect(() => policyDocument([{ Effect: 'Allow', Action: ['*'], Resource: ['*'] }])).toThrow(PolicyError);
  });
});

describe('names', () => {
  it('prefixes with the stage', () => {
    expect(physicalName('dev', 'window')).toBe('dev-window');
  });

  it('derives execution ARNs of a machine and of its map children', () => {
    const machine = 'arn:aws:states:us-east-1:1:stateMachine:dev-window';
    expect(executionArnPattern(machine)).toBe('arn:aws:states:us-east-1:1:execution:dev-window:*');
    expect(childExecutionArnPattern(machine)).toBe('arn:aws:states:us-east-1:1:execution:dev-window/*');
  });

  it('invokes functions and their versions', () => {
    expect(invokeFunctionsStatement(['arn:f']).Resource).toEqual(['arn:f', 'arn:f:*']);
  });
});
