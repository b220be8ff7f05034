import { operationOf } from '#bench/counting';

describe('operationOf', () => {
  it('names document-client and low-level commands alike', () => {
    expect(operationOf('PutCommand')).toBe('PutItem');
    expect(operationOf('PutItemCommand')).toBe('PutItem');
    expect(operationOf('BatchGetCommand')).toBe('BatchGetItem');
    expect(operationOf('QueryCommand')).toBe('Query');
    expect(operationOf('PutRecordsCommand')).toBe('PutRecords');
    expect(operationOf(undefined)).toBe('Unknown');
  });
});
