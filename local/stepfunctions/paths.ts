/**
 * The small part of JSONPath and payload templates the local Map Run needs to evaluate itself (ItemsPath,
 * ItemSelector, MaxConcurrencyPath, ToleratedFailure*Path): `$`, `$.a.b[0]`, and the context object
 * `$$.Map.Item.Value` / `$$.Map.Item.Index` / `$$.Execution.Name`. Anything else is refused with the path
 * named, so a definition the runner cannot evaluate fails loudly instead of running differently.
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-itemselector.html
 */

export class PathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'States.Runtime';
  }
}

const SEGMENT = /^(?:\.([A-Za-z_][A-Za-z0-9_-]*)|\[(\d+)\])/;

export function readPath(path: string, input: unknown, context: Record<string, unknown>): unknown {
  let value: unknown;
  let rest: string;
  if (path.startsWith('$$')) {
    value = context;
    rest = path.slice(2);
  } else if (path.startsWith('$')) {
    value = input;
    rest = path.slice(1);
  } else {
    throw new PathError(`path ${path} does not start with $`);
  }
  while (rest.length > 0) {
    const match = SEGMENT.exec(rest);
    if (!match) throw new PathError(`path ${path}: unsupported syntax at "${rest}"`);
    rest = rest.slice(match[0].length);
    if (value === null || typeof value !== 'object') {
      throw new PathError(`path ${path} does not match the state's input`);
    }
    const key = match[1] ?? Number(match[2]);
    if (!(key in (value as object))) throw new PathError(`path ${path} does not match the state's input`);
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

/** Evaluates a payload template (`"key.$": "$.path"` fields are paths, others are copied). */
export function applyTemplate(template: unknown, input: unknown, context: Record<string, unknown>): unknown {
  if (Array.isArray(template)) return template.map((item) => applyTemplate(item, input, context));
  if (template === null || typeof template !== 'object') return template;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(template)) {
    if (key.endsWith('.$')) {
      if (typeof value !== 'string' || value.startsWith('States.')) {
        throw new PathError(`field ${key}: only paths are supported locally in ItemSelector, not ${value}`);
      }
      out[key.slice(0, -2)] = readPath(value, input, context);
    } else {
      out[key] = applyTemplate(value, input, context);
    }
  }
  return out;
}
