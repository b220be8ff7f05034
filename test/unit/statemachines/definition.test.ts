import { readFileSync } from 'node:fs';
import path from 'node:path';
import aslValidator from 'asl-validator';
import { FUNCTIONS, WINDOW_STEPS } from '#shared/catalog';
import {
  checkWindowDefinition,
  DefinitionError,
  readWindowTemplate,
  renderDefinition,
  renderWindowDefinition,
  templateTokens,
  WINDOW_TOKENS,
} from '#statemachines/definition';
import { ASL_FIXTURES, WINDOW_ASL } from '#test/helpers/paths';

const arnOf = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:dmd-test-${name}`;

type State = Record<string, unknown> & { Type: string; States?: Record<string, State> };

function allStates(states: Record<string, State>): Array<[string, State]> {
  return Object.entries(states).flatMap(([name, state]) => {
    const processor = (state.ItemProcessor ?? state.Iterator) as
      | { States: Record<string, State> }
      | undefined;
    return [[name, state] as [string, State], ...(processor ? allStates(processor.States) : [])];
  });
}

describe('window state machine definition', () => {
  const definition = JSON.parse(renderWindowDefinition(arnOf)) as { States: Record<string, State> };

  it('has exactly the tokens the infrastructure fills', () => {
    expect(templateTokens(readWindowTemplate()).sort()).toEqual([...WINDOW_TOKENS].sort());
  });

  it('is valid Amazon States Language once rendered', () => {
    const { isValid, errors } = aslValidator(definition);
    expect(errors).toEqual([]);
    expect(isValid).toBe(true);
  });

  it('gives every Task a Retry and no Catch: a failure stops at the Task, where a redrive resumes', () => {
    const tasks = allStates(definition.States).filter(([, state]) => state.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(
      ['PlanWindow', 'PrepareSale', 'RenderPage', 'SendPage', 'Shorten', 'Summarize'].sort(),
    );
    for (const [, task] of tasks) {
      expect(task.Retry).toEqual(
        expect.arrayContaining([expect.objectContaining({ ErrorEquals: expect.any(Array) })]),
      );
      // A Catch leading to a Fail state would make the execution fail at the Fail state, and a redrive
      // would start there again instead of at the Task that failed.
      expect(task.Catch).toBeUndefined();
      const retryable = (task.Retry as Array<{ ErrorEquals: string[] }>).flatMap((r) => r.ErrorEquals);
      expect(retryable).toEqual(expect.arrayContaining(['RetryableError', 'Lambda.ServiceException']));
    }
    expect(allStates(definition.States).filter(([, state]) => state.Type === 'Fail')).toEqual([]);
  });

  it("gives every Task a time-out longer than its function's, from the catalog", () => {
    const tasks = new Map(allStates(definition.States).filter(([, state]) => state.Type === 'Task'));
    for (const step of WINDOW_STEPS) {
      const timeout = tasks.get(step.state)?.TimeoutSeconds as number;
      expect({ state: step.state, longer: timeout > step.timeoutSeconds }).toEqual({
        state: step.state,
        longer: true,
      });
    }
  });

  it('retries an invocation still in progress for longer than its function can run, without jitter', () => {
    // An invocation can outlive its Task (a time-out, a child aborted by its Map Run, a service error): the
    // next attempt with the same input meets IdempotencyAlreadyInProgressError until it ends, at the
    // latest at the function's time-out. The retrier's shortest total wait must exceed that.
    const tasks = new Map(allStates(definition.States).filter(([, state]) => state.Type === 'Task'));
    for (const step of WINDOW_STEPS) {
      const retriers = tasks.get(step.state)?.Retry as Array<Record<string, unknown>>;
      const inProgress = retriers.filter((retrier) =>
        (retrier.ErrorEquals as string[]).includes('IdempotencyAlreadyInProgressError'),
      );
      expect(inProgress).toHaveLength(1);
      const [retrier] = inProgress as [Record<string, unknown>];
      expect(retrier.JitterStrategy ?? 'NONE').toBe('NONE');
      let waited = 0;
      for (let attempt = 0; attempt < (retrier.MaxAttempts as number); attempt++) {
        const interval = (retrier.IntervalSeconds as number) * (retrier.BackoffRate as number) ** attempt;
        waited += Math.min(interval, retrier.MaxDelaySeconds as number);
      }
      expect({ state: step.state, outlasts: waited > step.timeoutSeconds }).toEqual({
        state: step.state,
        outlasts: true,
      });
    }
  });

  it('refuses a Task time-out written in the file (it comes from the catalog)', () => {
    const template = JSON.parse(readWindowTemplate()) as { States: Record<string, State> };
    (template.States.PlanWindow as State).TimeoutSeconds = 60;
    expect(() => checkWindowDefinition(JSON.stringify(template))).toThrow(/PlanWindow sets TimeoutSeconds/);
  });

  it('tolerates failed children in the first pass and none in the pass over the unfinished work', () => {
    const sales = definition.States.Sales as State;
    expect(sales.ToleratedFailurePercentagePath).toBe('$.mapRun.toleratedFailurePercentage');
    const fans = (sales.ItemProcessor as { States: Record<string, State> }).States.Fans as State;
    expect(fans.ToleratedFailurePercentagePath).toBe('$.toleratedFailurePercentage');
    expect((definition.States.FirstPass as State).Result).toEqual({
      pass: 1,
      toleratedFailurePercentage: 100,
    });
    expect((definition.States.ResumeUnfinished as State).Parameters).toEqual(
      expect.objectContaining({
        // The first pass's summary stays out of the state (the tallies table keeps it).
        mapRun: { pass: 2, toleratedFailurePercentage: 0 },
        'sales.$': '$.summary.unfinished.resume',
      }),
    );
  });

  it('runs both maps as distributed maps with STANDARD children (redrivable iterations)', () => {
    const maps = allStates(definition.States).filter(([, state]) => state.Type === 'Map');
    expect(maps.map(([name]) => name).sort()).toEqual(['Fans', 'Sales']);
    for (const [, map] of maps) {
      expect((map.ItemProcessor as { ProcessorConfig: unknown }).ProcessorConfig).toEqual({
        Mode: 'DISTRIBUTED',
        ExecutionType: 'STANDARD',
      });
    }
  });

  it('never passes contact fields between states', () => {
    const text = readFileSync(WINDOW_ASL, 'utf8');
    expect(text).not.toMatch(/contact|phone|email|"to"/i);
  });
});

describe('renderDefinition', () => {
  const template = JSON.stringify({
    StartAt: 'A',
    States: {
      A: { Type: 'Task', Resource: '${AFunctionArn}', Next: 'B' },
      B: { Type: 'Task', Resource: '${BFunctionArn}', End: true },
    },
  });

  it('fills every token and returns valid JSON', () => {
    const rendered = renderDefinition(template, { AFunctionArn: 'arn:a', BFunctionArn: 'arn:b' });
    const parsed = JSON.parse(rendered) as { States: Record<string, { Resource: string }> };
    expect(parsed.States.A?.Resource).toBe('arn:a');
    expect(parsed.States.B?.Resource).toBe('arn:b');
    expect(rendered).not.toContain('${');
  });

  it('fails on a token without a value, naming it', () => {
    expect(() => renderDefinition('{"a":"${One}","b":"${Two}"}', { One: 'x' })).toThrow(DefinitionError);
    expect(() => renderDefinition('{"a":"${One}","b":"${Two}"}', { One: 'x' })).toThrow('${Two}');
  });

  it('fails on a value for a token the template lacks', () => {
    expect(() => renderDefinition('{"a":"${One}"}', { One: 'x', Typo: 'y' })).toThrow('Typo');
  });

  it('escapes values so the result stays JSON', () => {
    expect(JSON.parse(renderDefinition('{"a":"${One}"}', { One: 'say "hi"' }))).toEqual({ a: 'say "hi"' });
  });

  it('fails when the result is not JSON', () => {
    expect(() => renderDefinition('{"a": ${X}', { X: '1' })).toThrow(/not valid JSON/);
  });

  it('lists tokens once each', () => {
    expect(templateTokens('${A} ${B} ${A}')).toEqual(['A', 'B']);
  });
});

describe('checkWindowDefinition: the window file against the catalog', () => {
  it('accepts the real file: one token per window step of the catalog, each in the Task state it names', () => {
    expect(() => checkWindowDefinition(readFileSync(WINDOW_ASL, 'utf8'))).not.toThrow();
    expect(WINDOW_TOKENS).toEqual([
      'PlanWindowFunctionArn',
      'PrepareSaleFunctionArn',
      'ShortenFunctionArn',
      'RenderPageFunctionArn',
      'SendPageFunctionArn',
      'SummarizeFunctionArn',
    ]);
    // Functions outside the window (SMS webhooks, unsubscribe, status updater, API, sale monitor) have no state.
    expect(FUNCTIONS.length - WINDOW_STEPS.length).toBe(6);
  });

  it('rejects a token the catalog does not know, naming it', () => {
    const fixture = readFileSync(path.join(ASL_FIXTURES, 'window-unknown-token.asl.json'), 'utf8');
    expect(() => checkWindowDefinition(fixture)).toThrow(DefinitionError);
    expect(() => checkWindowDefinition(fixture)).toThrow(/NotAFunctionArn/);
  });

  it('rejects a step token used by another state than the catalog names', () => {
    const renamed = readFileSync(WINDOW_ASL, 'utf8').replaceAll('"SendPage"', '"SendOnePage"');
    expect(() => checkWindowDefinition(renamed)).toThrow(
      'the catalog runs send-page in Task state SendPage (Resource ${SendPageFunctionArn}), but the definition uses ${SendPageFunctionArn} in SendOnePage',
    );
  });

  it('names a definition file that cannot be read', () => {
    expect(() => readWindowTemplate(path.join(ASL_FIXTURES, 'missing.asl.json'))).toThrow(
      /State machine definition not readable: .*missing\.asl\.json/,
    );
  });
});
