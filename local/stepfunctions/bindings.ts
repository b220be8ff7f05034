/**
 * Which handler module each Task state of the window definition runs, derived from the catalog
 * (shared/catalog.ts): the same modules the Lambdas deploy. Modules are imported after the local
 * environment is applied, since they read it at cold start.
 */
import type { Context } from 'aws-lambda';
import { WINDOW_STEPS, type WindowFunctionName } from '#shared/catalog';

export type TaskHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface TaskBinding {
  state: string;
  functionName: WindowFunctionName;
  load: () => Promise<TaskHandler>;
}

/** Imports `functions/<name>/handler.ts` (the catalog's entry point) and returns its `handler` export. */
export async function loadHandler(name: string): Promise<TaskHandler> {
  const module = (await import(`#functions/${name}/handler`)) as { handler?: unknown };
  if (typeof module.handler !== 'function') {
    throw new Error(`functions/${name}/handler.ts exports no handler function`);
  }
  return module.handler as TaskHandler;
}

export const WINDOW_TASKS: readonly TaskBinding[] = WINDOW_STEPS.map((step) => ({
  state: step.state,
  functionName: step.name,
  load: () => loadHandler(step.name),
}));

export function localFunctionArn(prefix: string, functionName: string): string {
  return `arn:aws:lambda:us-east-1:000000000000:function:${prefix}-${functionName}`;
}
