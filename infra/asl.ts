/**
 * Rendering of `statemachines/*.asl.json`: `${Token}` placeholders are replaced by values (function ARNs),
 * and any token left without a value, or any value the template does not ask for, is an error.
 */
import { DefinitionError } from './errors';

const TOKEN = /\$\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/** The function ARN tokens of statemachines/window.asl.json, keyed by the function that fills each. */
export const WINDOW_FUNCTION_TOKENS = {
  'plan-window': 'PlanWindowFunctionArn',
  'prepare-sale': 'PrepareSaleFunctionArn',
  shorten: 'ShortenFunctionArn',
  'render-page': 'RenderPageFunctionArn',
  'send-page': 'SendPageFunctionArn',
  summarize: 'SummarizeFunctionArn',
} as const;

export type WindowFunctionName = keyof typeof WINDOW_FUNCTION_TOKENS;

/** The distinct `${Token}` names of a template, in order of first appearance. */
export function templateTokens(template: string): string[] {
  return [...new Set([...template.matchAll(TOKEN)].map((match) => match[1] ?? ''))];
}

/** Fails when the template's tokens and the given value names differ in either direction. */
export function assertTokensMatch(template: string, names: readonly string[]): void {
  const tokens = templateTokens(template);
  const missing = tokens.filter((token) => !names.includes(token));
  if (missing.length > 0) {
    throw new DefinitionError(
      `State machine template has tokens without a value: ${missing.join(', ')}`,
      missing,
    );
  }
  const unknown = names.filter((name) => !tokens.includes(name));
  if (unknown.length > 0) {
    throw new DefinitionError(
      `Values given for tokens the template does not use: ${unknown.join(', ')}`,
      unknown,
    );
  }
}

/**
 * Replaces every `${Token}` of `template` with `values[Token]` (JSON-string escaped) and checks that the
 * result is JSON with no placeholder left.
 */
export function renderDefinition(template: string, values: Record<string, string>): string {
  assertTokensMatch(template, Object.keys(values));
  const rendered = template.replace(TOKEN, (_match, token: string) => {
    const value = values[token];
    if (value === undefined) throw new DefinitionError(`No value for token ${token}`, [token]);
    return JSON.stringify(value).slice(1, -1);
  });
  const leftover = templateTokens(rendered);
  if (leftover.length > 0) {
    throw new DefinitionError(`Rendered definition still has tokens: ${leftover.join(', ')}`, leftover);
  }
  try {
    JSON.parse(rendered);
  } catch (error: unknown) {
    throw new DefinitionError(
      `Rendered definition is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      [],
    );
  }
  return rendered;
}
