import { buildSchema, type ExecutionResult, execute, type GraphQLSchema, parse } from 'graphql';
import { fastExecute, type Replay } from '#local/api/fast-execute';

const TYPE_DEFS = `
  enum Kind { PRESALE PUBLIC }
  type Time { short: String! long: String }
  type Sale { id: ID! kind: Kind! count: Int starts: Time! tags: [String!]! }
  type Event { id: ID! name: String sales: [Sale!]! first: Sale }
  type Query { event(id: ID!, n: Int): Event  other: String }
`;

interface Context {
  replay?: Replay;
  calls: number;
}

/** A schema whose root fields return `value` (a function of the arguments), as the server's do. */
function schemaReturning(value: (args: Record<string, unknown>) => unknown): GraphQLSchema {
  const schema = buildSchema(TYPE_DEFS);
  for (const field of Object.values(schema.getQueryType()?.getFields() ?? {})) {
    field.resolve = (_source, args, context: Context) => {
      if (context.replay) return context.replay();
      context.calls += 1;
      return value(args);
    };
  }
  return schema;
}

const sale = (id: string) => ({
  id,
  kind: 'PRESALE',
  count: 3,
  starts: { short: 'Tue', long: null },
  tags: ['a', 'b'],
  extra: 'not asked',
});
const event = { id: 'e1', name: 'Show', sales: [sale('s1'), sale('s2')], first: sale('s1') };

async function both(schema: GraphQLSchema, query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const reference: Context = { calls: 0 };
  const expected = await execute({ schema, document, variableValues: variables, contextValue: reference });
  const context: Context = { calls: 0 };
  const actual: ExecutionResult = await fastExecute({
    schema,
    document,
    variableValues: variables,
    operationName: undefined,
    contextValue: context,
    fallback: (contextValue) => execute({ schema, document, variableValues: variables, contextValue }),
  });
  return {
    expected: JSON.stringify(expected),
    actual: JSON.stringify(actual),
    calls: context.calls,
    referenceCalls: reference.calls,
  };
}

const FULL =
  'query Q($id: ID!) { event(id: $id) { id name sales { id kind count starts { short long } tags } first { id } } }';

describe('fastExecute answers exactly as graphql-js execute', () => {
  it.each<[string, string, () => unknown, Record<string, unknown>]>([
    ['the plain shape', FULL, () => event, { id: 'e1' }],
    ['an async resolver', FULL, () => Promise.resolve(event), { id: 'e1' }],
    ['aliases', '{ e: event(id: "x") { i: id name s: sales { id } } }', () => event, {}],
    ['a null object', FULL, () => null, { id: 'e1' }],
    [
      'a null in a non-null leaf',
      FULL,
      () => ({ ...event, sales: [{ ...sale('s1'), id: null }] }),
      { id: 'e1' },
    ],
    ['a null in a non-null list', FULL, () => ({ ...event, sales: null }), { id: 'e1' }],
    [
      'an unknown enum value',
      FULL,
      () => ({ ...event, first: { ...sale('s3'), kind: 'NOPE' } }),
      { id: 'e1' },
    ],
    ['a float in an Int', FULL, () => ({ ...event, sales: [{ ...sale('s1'), count: 1.5 }] }), { id: 'e1' }],
    ['a list that is not an array', FULL, () => ({ ...event, sales: 'no' }), { id: 'e1' }],
    ['a method property', FULL, () => ({ ...event, name: () => 'called' }), { id: 'e1' }],
    ['a promise property', FULL, () => ({ ...event, name: Promise.resolve('later') }), { id: 'e1' }],
    [
      'a resolver that throws',
      FULL,
      () => {
        throw new Error('boom');
      },
      { id: 'e1' },
    ],
    ['a resolver that rejects', FULL, () => Promise.reject(new Error('boom')), { id: 'e1' }],
    ['a missing variable', FULL, () => event, {}],
    [
      'a variable of the wrong type',
      'query Q($n: Int) { event(id: "x", n: $n) { id } }',
      () => event,
      { n: 'x' },
    ],
    ['__typename', '{ event(id: "x") { __typename id } }', () => event, {}],
    ['a fragment', '{ event(id: "x") { ...F } } fragment F on Event { id }', () => event, {}],
    ['a directive', '{ event(id: "x") { id name @skip(if: true) } }', () => event, {}],
    ['a repeated key', '{ event(id: "x") { first { id } first { kind } } }', () => event, {}],
    ['two root fields', '{ event(id: "x") { id } other }', () => event, {}],
  ])('%s', async (_name, query, value, variables) => {
    const { expected, actual, calls, referenceCalls } = await both(schemaReturning(value), query, variables);

    expect(actual).toBe(expected);
    // Each resolver as often as graphql-js calls it: never a second time to complete a value.
    expect(calls).toBe(referenceCalls);
  });

  it('calls the resolver once, even when graphql-js completes the value', async () => {
    const { calls } = await both(
      schemaReturning(() => ({ ...event, sales: null })),
      FULL,
      { id: 'e1' },
    );

    expect(calls).toBe(1);
  });
});
