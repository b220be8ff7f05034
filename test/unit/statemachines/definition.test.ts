import { readFileSync } from 'node:fs';
import aslValidator from 'asl-validator';
import {
  DefinitionRenderError,
  readWindowTemplate,
  renderDefinition,
  renderWindowDefinition,
  templateTokens,
  WINDOW_TOKENS,
} from '#statemachines/definition';
import { WINDOW_ASL } from '#test/helpers/paths';

const arns = Object.fromEntries(
  WINDOW_TOKENS.map((token) => [token, `arn:aws:lambda:us-east-1:123456789012:function:dmd-test-${token}`]),
) as Record<(typeof WINDOW_TOKENS)[number], string>;

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
  const definition = JSON.parse(renderWindowDefinition(arns)) as { States: Record<string, State> };

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
        mapRun: { pass: 2, toleratedFailurePercentage: 0, 'previous.$': '$.summary' },
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
  it('fails on a token without a value', () => {
    expect(() => renderDefinition('{"a":"${One}","b":"${Two}"}', { One: 'x' })).toThrow(
      DefinitionRenderError,
    );
    expect(() => renderDefinition('{"a":"${One}","b":"${Two}"}', { One: 'x' })).toThrow('${Two}');
  });

  it('fails on a value for a token the template lacks', () => {
    expect(() => renderDefinition('{"a":"${One}"}', { One: 'x', Typo: 'y' })).toThrow('Typo');
  });

  it('escapes values so the result stays JSON', () => {
    expect(JSON.parse(renderDefinition('{"a":"${One}"}', { One: 'say "hi"' }))).toEqual({ a: 'say "hi"' });
  });
});
