/**
 * A lighter execution of the commonest request shape, with graphql-js's answer: a query of one root field
 * whose selections below it are plain fields (no fragments, directives, arguments, aliases that collide,
 * __typename, interfaces or unions) read by the default resolver. graphql-js builds, for every field of the
 * answer, a resolve info, a path entry and two null-prototype argument maps (measured: about half of the
 * server's allocations per eventDetails request, each one more young-generation garbage); here the root
 * field is resolved as graphql-js does (same info, same arguments) and the value below it is completed
 * from a plan made once per cached document.
 *
 * Anything off the happy path (a variable or argument error, a resolver error, a null in a non-null field,
 * a value a scalar cannot serialize, a function or promise where a plain value was expected) is handed to
 * graphql-js's execute with the root field's outcome replayed (the resolver is not called twice), so
 * errors, their paths and null propagation are graphql-js's own.
 */
import {
  type DocumentNode,
  type ExecutionResult,
  type FieldNode,
  type GraphQLField,
  type GraphQLLeafType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  getArgumentValues,
  getVariableValues,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/** How to complete a value of one output type. */
type Completion =
  | { kind: 'nonNull'; of: Completion }
  | { kind: 'list'; of: Completion }
  | { kind: 'leaf'; type: GraphQLLeafType }
  | { kind: 'object'; fields: ReadonlyArray<{ key: string; name: string; completion: Completion }> };

interface Plan {
  operation: OperationDefinitionNode;
  rootType: GraphQLObjectType;
  key: string;
  node: FieldNode;
  field: GraphQLField<unknown, unknown>;
  completion: Completion;
  /** graphql-js's info.fragments: the document has none. */
  fragments: GraphQLResolveInfo['fragments'];
}

/** The outcome of a root resolver, handed back to graphql-js by the field's resolve when it has to complete. */
export type Replay = () => unknown;

/** Thrown by the completion when graphql-js has to complete the value (an error or an unusual value). */
const OFF_PATH = Symbol('off the fast path');

function planType(type: GraphQLOutputType, set: SelectionSetNode | undefined): Completion | undefined {
  if (isNonNullType(type)) {
    const of = planType(type.ofType, set);
    return of && { kind: 'nonNull', of };
  }
  if (isListType(type)) {
    const of = planType(type.ofType, set);
    return of && { kind: 'list', of };
  }
  if (isLeafType(type)) return set === undefined ? { kind: 'leaf', type } : undefined;
  // isTypeOf would be called per value by graphql-js: not on this path (buildSchema sets none).
  if (!isObjectType(type) || type.isTypeOf || set === undefined) return undefined;
  const fields: Array<{ key: string; name: string; completion: Completion }> = [];
  const keys = new Set<string>();
  for (const selection of set.selections) {
    if (selection.kind !== Kind.FIELD) return undefined;
    if (selection.directives?.length || selection.arguments?.length) return undefined;
    const name = selection.name.value;
    const key = selection.alias?.value ?? name;
    // A repeated key merges selections (CollectFields): left to graphql-js.
    if (name.startsWith('__') || keys.has(key)) return undefined;
    keys.add(key);
    const field = type.getFields()[name];
    if (field === undefined || field.resolve !== undefined) return undefined;
    const completion = planType(field.type, selection.selectionSet);
    if (completion === undefined) return undefined;
    fields.push({ key, name, completion });
  }
  return { kind: 'object', fields };
}

function planDocument(schema: GraphQLSchema, document: DocumentNode): Plan | undefined {
  const [operation, ...others] = document.definitions;
  if (operation?.kind !== Kind.OPERATION_DEFINITION || others.length > 0 || operation.operation !== 'query') {
    return undefined;
  }
  const rootType = schema.getQueryType();
  const [node, ...more] = operation.selectionSet.selections;
  if (!rootType || node?.kind !== Kind.FIELD || more.length > 0 || node.directives?.length) return undefined;
  const field = rootType.getFields()[node.name.value];
  if (field?.resolve === undefined) return undefined;
  const completion = planType(field.type, node.selectionSet);
  if (completion === undefined) return undefined;
  return {
    operation,
    rootType,
    key: node.alias?.value ?? node.name.value,
    node,
    field,
    completion,
    fragments: Object.create(null),
  };
}

const plans = new WeakMap<DocumentNode, Plan | null>();

function planOf(schema: GraphQLSchema, document: DocumentNode): Plan | undefined {
  let plan = plans.get(document);
  if (plan === undefined) {
    plan = planDocument(schema, document) ?? null;
    plans.set(document, plan);
  }
  return plan ?? undefined;
}

function isPromiseLike(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null | undefined)?.then === 'function';
}

/** graphql-js's completeValue for the values it would complete without an error; else OFF_PATH. */
function complete(completion: Completion, value: unknown): unknown {
  if (value instanceof Error) throw OFF_PATH;
  if (completion.kind === 'nonNull') {
    if (value === null || value === undefined) throw OFF_PATH;
    return complete(completion.of, value);
  }
  if (value === null || value === undefined) return null;
  if (completion.kind === 'list') {
    if (!Array.isArray(value)) throw OFF_PATH;
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i += 1) items[i] = complete(completion.of, value[i]);
    return items;
  }
  if (completion.kind === 'leaf') {
    let serialized: unknown;
    try {
      serialized = completion.type.serialize(value);
    } catch {
      throw OFF_PATH;
    }
    if (serialized === undefined) throw OFF_PATH;
    return serialized;
  }
  const source = value as Record<string, unknown>;
  const readable = typeof value === 'object' || typeof value === 'function';
  const result: Record<string, unknown> = {};
  for (const { key, name, completion: inner } of completion.fields) {
    // The default field resolver: the property, unless it is a method (called) or a promise (awaited).
    const property = readable ? source[name] : undefined;
    if (typeof property === 'function' || isPromiseLike(property)) throw OFF_PATH;
    result[key] = complete(inner, property);
  }
  return result;
}

/**
 * Executes `document` as graphql-js's execute would, through the lighter path when the document allows;
 * `fallback` is graphql-js's execute, given the root field's outcome to replay when it had been resolved.
 */
export async function fastExecute<C extends { replay?: Replay }>(args: {
  schema: GraphQLSchema;
  document: DocumentNode;
  variableValues: Record<string, unknown>;
  operationName: string | undefined;
  contextValue: C;
  fallback: (contextValue: C) => Promise<ExecutionResult> | ExecutionResult;
}): Promise<ExecutionResult> {
  const plan = planOf(args.schema, args.document);
  const named = args.operationName === undefined || args.operationName === plan?.operation.name?.value;
  if (plan === undefined || !named) return args.fallback(args.contextValue);
  const variables = getVariableValues(
    args.schema,
    plan.operation.variableDefinitions ?? [],
    args.variableValues,
  );
  if (variables.errors) return args.fallback(args.contextValue);
  const resolve = plan.field.resolve;
  if (resolve === undefined) return args.fallback(args.contextValue);
  let fieldArgs: Record<string, unknown>;
  try {
    fieldArgs = getArgumentValues(plan.field, plan.node, variables.coerced);
  } catch {
    // graphql-js reports it without calling the resolver.
    return args.fallback(args.contextValue);
  }
  const info: GraphQLResolveInfo = {
    fieldName: plan.field.name,
    fieldNodes: [plan.node],
    returnType: plan.field.type,
    parentType: plan.rootType,
    path: { prev: undefined, key: plan.key, typename: plan.rootType.name },
    schema: args.schema,
    fragments: plan.fragments,
    rootValue: undefined,
    operation: plan.operation,
    variableValues: variables.coerced,
  };
  let outcome: unknown;
  try {
    outcome = resolve(undefined, fieldArgs, args.contextValue, info);
  } catch (error: unknown) {
    return args.fallback({
      ...args.contextValue,
      replay: () => {
        throw error;
      },
    });
  }
  let value: unknown;
  try {
    value = isPromiseLike(outcome) ? await outcome : outcome;
    return { data: { [plan.key]: complete(plan.completion, value) } };
  } catch {
    // A rejection or a value graphql-js completes with errors: its execute, with the same outcome.
    return args.fallback({ ...args.contextValue, replay: () => outcome });
  }
}
