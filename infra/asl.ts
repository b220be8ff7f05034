/**
 * Rendering of `statemachines/*.asl.json`: `${Token}` placeholders are replaced by values (function ARNs),
 * and any token left without a value, or any value the template does not ask for, is an error.
 */
import { templateTokens } from '#statemachines/definition';
import { DefinitionError } from './errors';

// One renderer for AWS and the local runner: the ASL files and their rendering live in statemachines/.
export { renderDefinition, templateTokens } from '#statemachines/definition';

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
