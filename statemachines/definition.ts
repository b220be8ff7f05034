/**
 * The state machine definitions are files (`*.asl.json`) with `${Token}` placeholders for the ARNs. The same
 * file runs on AWS (tokens filled by Pulumi) and locally (tokens filled with local ARNs).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const WINDOW_DEFINITION_FILE = join(__dirname, 'window.asl.json');

/** The tokens of the window definition, each the ARN of the function a Task invokes. */
export const WINDOW_TOKENS = [
  'PlanWindowFunctionArn',
  'PrepareSaleFunctionArn',
  'ShortenFunctionArn',
  'RenderPageFunctionArn',
  'SendPageFunctionArn',
  'SummarizeFunctionArn',
] as const;
export type WindowToken = (typeof WINDOW_TOKENS)[number];

export class DefinitionRenderError extends Error {
  readonly tokens: string[];

  constructor(message: string, tokens: string[]) {
    super(message);
    this.name = 'DefinitionRenderError';
    this.tokens = tokens;
  }
}

const TOKEN = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

/** The distinct `${Token}` names of a template. */
export function templateTokens(template: string): string[] {
  return [...new Set([...template.matchAll(TOKEN)].map((match) => match[1] ?? ''))];
}

/**
 * Fills every `${Token}` of `template` from `values`. Fails on a token without a value and on a value
 * for a token the template does not have (a renamed state would otherwise go unnoticed).
 */
export function renderDefinition(template: string, values: Record<string, string>): string {
  const tokens = templateTokens(template);
  const missing = tokens.filter((token) => values[token] === undefined);
  if (missing.length > 0) {
    throw new DefinitionRenderError(`no value for ${missing.map((t) => `\${${t}}`).join(', ')}`, missing);
  }
  const unknown = Object.keys(values).filter((key) => !tokens.includes(key));
  if (unknown.length > 0) {
    throw new DefinitionRenderError(`the template has no token ${unknown.join(', ')}`, unknown);
  }
  const rendered = template.replace(TOKEN, (_, token: string) => JSON.stringify(values[token]).slice(1, -1));
  const left = templateTokens(rendered);
  if (left.length > 0)
    throw new DefinitionRenderError(`tokens left after rendering: ${left.join(', ')}`, left);
  try {
    JSON.parse(rendered);
  } catch (error: unknown) {
    throw new DefinitionRenderError(
      `rendered definition is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      [],
    );
  }
  return rendered;
}

export function readWindowTemplate(): string {
  return readFileSync(WINDOW_DEFINITION_FILE, 'utf8');
}

/** The window definition with every Task bound to the given function ARNs. */
export function renderWindowDefinition(arns: Record<WindowToken, string>): string {
  return renderDefinition(readWindowTemplate(), arns);
}
