import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { entryPointOf, FUNCTIONS, metricNames, tokenOf, WINDOW_STEPS } from '#shared/catalog';
import { ROOT } from '#test/helpers/paths';

describe('the function catalog', () => {
  it('lists every folder of functions/ once, each with its handler entry point', () => {
    const folders = readdirSync(path.join(ROOT, 'functions')).sort();
    expect(FUNCTIONS.map((spec) => spec.name).sort()).toEqual(folders);
    for (const spec of FUNCTIONS) {
      const entry = path.join(ROOT, entryPointOf(spec.name));
      expect(existsSync(entry)).toBe(true);
      expect(readFileSync(entry, 'utf8')).toMatch(/export const handler\b/);
    }
  });

  it('gives each window step its own Task state and token', () => {
    const states = WINDOW_STEPS.map((step) => step.state);
    expect(new Set(states).size).toBe(states.length);
    expect(tokenOf('SendPage')).toBe('SendPageFunctionArn');
  });

  it('maps each declared metric name to itself, and nothing else', () => {
    expect(metricNames('send-page')).toEqual({
      NotificationsQueued: 'NotificationsQueued',
      NotificationsFailed: 'NotificationsFailed',
      SendRetries: 'SendRetries',
    });
    expect(metricNames('prepare-sale').Suppressed_).toBe('Suppressed_');
  });

  it('is what the handlers publish: no metric name written as a string in a handler', () => {
    for (const spec of FUNCTIONS) {
      const source = readFileSync(path.join(ROOT, entryPointOf(spec.name)), 'utf8');
      expect(source).not.toMatch(/addMetric\(\s*['`]/);
    }
  });
});
