/**
 * Which handler module each Task state of the window definition runs: the same modules the Lambdas deploy.
 * Modules are imported after the local environment is applied, since they read it at cold start.
 */
import type { Context } from 'aws-lambda';
import type { WindowToken } from '#statemachines/definition';

export type TaskHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface TaskBinding {
  state: string;
  token: WindowToken;
  functionName: string;
  load: () => Promise<TaskHandler>;
}

const handlerOf = (module: { handler: unknown }) => module.handler as TaskHandler;

export const WINDOW_TASKS: readonly TaskBinding[] = [
  {
    state: 'PlanWindow',
    token: 'PlanWindowFunctionArn',
    functionName: 'plan-window',
    load: async () => handlerOf(await import('#functions/plan-window/handler')),
  },
  {
    state: 'PrepareSale',
    token: 'PrepareSaleFunctionArn',
    functionName: 'prepare-sale',
    load: async () => handlerOf(await import('#functions/prepare-sale/handler')),
  },
  {
    state: 'Shorten',
    token: 'ShortenFunctionArn',
    functionName: 'shorten',
    load: async () => handlerOf(await import('#functions/shorten/handler')),
  },
  {
    state: 'RenderPage',
    token: 'RenderPageFunctionArn',
    functionName: 'render-page',
    load: async () => handlerOf(await import('#functions/render-page/handler')),
  },
  {
    state: 'SendPage',
    token: 'SendPageFunctionArn',
    functionName: 'send-page',
    load: async () => handlerOf(await import('#functions/send-page/handler')),
  },
  {
    state: 'Summarize',
    token: 'SummarizeFunctionArn',
    functionName: 'summarize',
    load: async () => handlerOf(await import('#functions/summarize/handler')),
  },
];

export function localFunctionArn(prefix: string, functionName: string): string {
  return `arn:aws:lambda:us-east-1:000000000000:function:${prefix}-${functionName}`;
}
