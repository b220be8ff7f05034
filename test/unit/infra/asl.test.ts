import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { assertTokensMatch, renderDefinition, templateTokens, WINDOW_FUNCTION_TOKENS } from '#infra/asl';
import { DefinitionRenderError } from '#statemachines/definition';
import { ASL_FIXTURES, WINDOW_ASL } from '#test/helpers/paths';

const template = JSON.stringify({
  StartAt: 'A',
  States: {
    A: { Type: 'Task', Resource: '${AFunctionArn}', Next: 'B' },
    B: { Type: 'Task', Resource: '${BFunctionArn}', End: true },
  },
});

describe('renderDefinition', () => {
  it('fills every token and returns valid JSON', () => {
    const rendered = renderDefinition(template, { AFunctionArn: 'arn:a', BFunctionArn: 'arn:b' });

    const parsed = JSON.parse(rendered) as { States: Record<string, { Resource: string }> };
    expect(parsed.States.A?.Resource).toBe('arn:a');
    expect(parsed.States.B?.Resource).toBe('arn:b');
    expect(rendered).not.toContain('${');
  });

  it('fails on a token left without a value, naming it', () => {
    expect(() => renderDefinition(template, { AFunctionArn: 'arn:a' })).toThrow(DefinitionRenderError);
    expect(() => renderDefinition(template, { AFunctionArn: 'arn:a' })).toThrow(/BFunctionArn/);
  });

  it('fails on a value for a token the template does not have', () => {
    const values = { AFunctionArn: 'a', BFunctionArn: 'b', CFunctionArn: 'c' };
    expect(() => renderDefinition(template, values)).toThrow(/CFunctionArn/);
  });

  it('escapes values so the result stays JSON', () => {
    const rendered = renderDefinition(template, { AFunctionArn: 'a"b', BFunctionArn: 'c\\d' });
    expect(JSON.parse(rendered).States.A.Resource).toBe('a"b');
  });

  it('fails when the result is not JSON', () => {
    expect(() => renderDefinition('{"a": ${X}', { X: '1' })).toThrow(/not valid JSON/);
  });
});

describe('the window template', () => {
  it('uses exactly the function tokens the program fills (real file or fixture)', () => {
    const real = WINDOW_ASL;
    const text = readFileSync(real, 'utf8');
    expect(() => assertTokensMatch(text, Object.values(WINDOW_FUNCTION_TOKENS))).not.toThrow();
  });

  it('rejects a template with a token the program does not fill', () => {
    const fixture = readFileSync(path.join(ASL_FIXTURES, 'window-unknown-token.asl.json'), 'utf8');
    expect(() => assertTokensMatch(fixture, Object.values(WINDOW_FUNCTION_TOKENS))).toThrow(
      /NotAFunctionArn/,
    );
  });

  it('lists tokens once each', () => {
    expect(templateTokens('${A} ${B} ${A}')).toEqual(['A', 'B']);
  });
});
