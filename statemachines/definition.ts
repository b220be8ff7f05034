/**
 * The state machine definitions are files (`*.asl.json`) with `${Token}` placeholders for the ARNs. The same
 * file runs on AWS (tokens filled by Pulumi) and locally (tokens filled with local ARNs). Which Task state
 * runs which function comes from the catalog (shared/catalog.ts); `checkWindowDefinition` holds the file to
 * it, and every mismatch, on AWS or locally, is a DefinitionError.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  taskTimeoutSeconds,
  tokenOf,
  WINDOW_STEPS,
  type WindowFunctionName,
  type WindowToken,
} from '#shared/catalog';

export const WINDOW_DEFINITION_FILE = join(__dirname, 'window.asl.json');

/** A definition that does not match the catalog or cannot be rendered; `tokens` are the tokens at fault. */
export class DefinitionError extends Error {
  readonly tokens: string[];

  constructor(message: string, tokens: string[] = []) {
    super(message);
    this.name = 'DefinitionError';
    this.tokens = tokens;
  }
}

const TOKEN = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The distinct `${Token}` names of a template. */
export function templateTokens(template: string): string[] {
  return [...new Set([...template.matchAll(TOKEN)].map((match) => match[1] ?? ''))];
}

/** The tokens of the window definition, one per window step of the catalog. */
export const WINDOW_TOKENS: readonly WindowToken[] = WINDOW_STEPS.map((step) => tokenOf(step.state));

/** Fails when the template's tokens and the given value names differ in either direction. */
export function assertTokensMatch(template: string, names: readonly string[]): void {
  const tokens = templateTokens(template);
  const missing = tokens.filter((token) => !names.includes(token));
  if (missing.length > 0) {
    throw new DefinitionError(`no value for ${missing.map((t) => `\${${t}}`).join(', ')}`, missing);
  }
  const unknown = names.filter((name) => !tokens.includes(name));
  if (unknown.length > 0) {
    throw new DefinitionError(`the template has no token ${unknown.join(', ')}`, unknown);
  }
}

/**
 * Fills every `${Token}` of `template` from `values`. Fails on a token without a value and on a value
 * for a token the template does not have (a renamed state would otherwise go unnoticed).
 */
export function renderDefinition(template: string, values: Record<string, string>): string {
  assertTokensMatch(template, Object.keys(values));
  const rendered = template.replace(TOKEN, (_, token: string) => JSON.stringify(values[token]).slice(1, -1));
  const left = templateTokens(rendered);
  if (left.length > 0) throw new DefinitionError(`tokens left after rendering: ${left.join(', ')}`, left);
  try {
    JSON.parse(rendered);
  } catch (error: unknown) {
    throw new DefinitionError(
      `rendered definition is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return rendered;
}

interface AslState {
  Type?: string;
  Resource?: unknown;
  TimeoutSeconds?: number;
  ItemProcessor?: { States?: Record<string, AslState> };
  Iterator?: { States?: Record<string, AslState> };
  Branches?: Array<{ States?: Record<string, AslState> }>;
}

/** Every state of a definition, nested maps and branches included, by name. */
function allStates(states: Record<string, AslState> = {}): Array<[string, AslState]> {
  return Object.entries(states).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...allStates(state.ItemProcessor?.States),
    ...allStates(state.Iterator?.States),
    ...(state.Branches ?? []).flatMap((branch) => allStates(branch.States)),
  ]);
}

/**
 * Holds the window template to the catalog: its tokens are exactly the window steps' tokens, and each
 * token is the Resource of the Task state the catalog names for it. Returns the template.
 */
export function checkWindowDefinition(template: string): string {
  assertTokensMatch(template, WINDOW_TOKENS);
  let parsed: { States?: Record<string, AslState> };
  try {
    parsed = JSON.parse(template) as { States?: Record<string, AslState> };
  } catch (error: unknown) {
    throw new DefinitionError(
      `the window definition is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const states = new Map(allStates(parsed.States));
  for (const step of WINDOW_STEPS) {
    const token = tokenOf(step.state);
    const state = states.get(step.state);
    if (state?.Type === 'Task' && state.TimeoutSeconds !== undefined) {
      throw new DefinitionError(
        `Task state ${step.state} sets TimeoutSeconds: it comes from the catalog (the function's time-out of ${step.timeoutSeconds} s plus a margin), leave it out of the file`,
        [token],
      );
    }
    if (state?.Type !== 'Task' || state.Resource !== `\${${token}}`) {
      const users = [...states].filter(([, s]) => s.Resource === `\${${token}}`).map(([name]) => name);
      throw new DefinitionError(
        `the catalog runs ${step.name} in Task state ${step.state} (Resource \${${token}}), but the definition ${
          users.length > 0 ? `uses \${${token}} in ${users.join(', ')}` : `has no such Task`
        }`,
        [token],
      );
    }
  }
  return template;
}

export function readWindowTemplate(path = WINDOW_DEFINITION_FILE): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error: unknown) {
    throw new DefinitionError(
      `State machine definition not readable: ${path} (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return checkWindowDefinition(text);
}

/**
 * The window definition with every Task bound to the ARN `arnOf` gives its function, and its
 * TimeoutSeconds derived from the same catalog entry as the function's time-out (always longer).
 */
export function renderWindowDefinition(
  arnOf: (name: WindowFunctionName) => string,
  template = readWindowTemplate(),
): string {
  const rendered = renderDefinition(
    checkWindowDefinition(template),
    Object.fromEntries(WINDOW_STEPS.map((step) => [tokenOf(step.state), arnOf(step.name)])),
  );
  const definition = JSON.parse(rendered) as { States?: Record<string, AslState> };
  const states = new Map(allStates(definition.States));
  for (const step of WINDOW_STEPS) {
    const state = states.get(step.state);
    if (state) state.TimeoutSeconds = taskTimeoutSeconds(step);
  }
  return JSON.stringify(definition, null, 2);
}
