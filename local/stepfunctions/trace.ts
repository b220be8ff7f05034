/**
 * A run's history condensed the way the console shows it: the top-level states entered and left with
 * durations, each map summarized (iterations, failures, the states inside with counts and durations).
 */
import type { LocalRunRecord, TraceEntry } from './types';

interface StateStats {
  count: number;
  totalMs: number;
  maxMs: number;
  failed: number;
  retried: number;
}

export interface CondensedTrace {
  steps: Array<{ state: string; startMs: number; durationMs: number; status: 'ok' | 'failed' | 'running' }>;
  maps: Record<string, { iterations: number; failed: number }>;
  inner: Record<string, StateStats>;
  transitions: number;
}

function statsOf(inner: CondensedTrace['inner'], state: string): StateStats {
  let stats = inner[state];
  if (!stats) {
    stats = { count: 0, totalMs: 0, maxMs: 0, failed: 0, retried: 0 };
    inner[state] = stats;
  }
  return stats;
}

function mapOf(maps: CondensedTrace['maps'], state: string) {
  let map = maps[state];
  if (!map) {
    map = { iterations: 0, failed: 0 };
    maps[state] = map;
  }
  return map;
}

export function condenseTrace(trace: TraceEntry[]): CondensedTrace {
  const steps: CondensedTrace['steps'] = [];
  const maps: CondensedTrace['maps'] = {};
  const inner: CondensedTrace['inner'] = {};
  const open = new Map<string, number[]>();
  let transitions = 0;
  for (const entry of trace) {
    if (entry.type === 'StateEntered' && entry.state) {
      transitions++;
      if (entry.parent === undefined && entry.index === undefined) {
        steps.push({ state: entry.state, startMs: entry.at, durationMs: 0, status: 'running' });
      } else {
        const stack = open.get(entry.state) ?? [];
        stack.push(entry.at);
        open.set(entry.state, stack);
      }
    } else if ((entry.type === 'StateExited' || entry.type === 'StateFailed') && entry.state) {
      const step = [...steps].reverse().find((s) => s.state === entry.state && s.status === 'running');
      if (step && entry.parent === undefined && entry.index === undefined) {
        step.durationMs = entry.at - step.startMs;
        step.status = entry.type === 'StateExited' ? 'ok' : 'failed';
        continue;
      }
      const started = open.get(entry.state)?.shift();
      const stats = statsOf(inner, entry.state);
      stats.count++;
      if (started !== undefined) {
        stats.totalMs += entry.at - started;
        stats.maxMs = Math.max(stats.maxMs, entry.at - started);
      }
      if (entry.type === 'StateFailed') stats.failed++;
    } else if (entry.type === 'StateRetried' && entry.state) {
      const stats = statsOf(inner, entry.state);
      stats.retried++;
    } else if (entry.type === 'MapIterationStarted' && entry.parent) {
      mapOf(maps, entry.parent).iterations++;
    } else if (entry.type === 'MapIterationFailed' && entry.parent) {
      mapOf(maps, entry.parent).failed++;
    }
  }
  return { steps, maps, inner, transitions };
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function formatTrace(run: LocalRunRecord): string[] {
  const condensed = condenseTrace(run.trace);
  const lines = [
    `${run.executionName}  ${run.status}  ${seconds(run.durationMs ?? 0)}  (${condensed.transitions} state transitions)`,
  ];
  for (const step of condensed.steps) {
    lines.push(
      `  ${step.state.padEnd(12)} +${seconds(step.startMs).padStart(9)}  ${seconds(step.durationMs).padStart(9)}  ${step.status}`,
    );
    const map = condensed.maps[step.state];
    if (map) {
      lines.push(`    map: ${map.iterations} iterations, ${map.failed} failed`);
      const fans = condensed.maps.Fans;
      if (step.state === 'Sales' && fans)
        lines.push(`    Fans map: ${fans.iterations} iterations, ${fans.failed} failed`);
      for (const [state, stats] of Object.entries(condensed.inner)) {
        const avg = stats.count > 0 ? stats.totalMs / stats.count : 0;
        lines.push(
          `      ${state.padEnd(16)} x${String(stats.count).padEnd(6)} avg ${seconds(avg).padStart(8)}  max ${seconds(stats.maxMs).padStart(8)}` +
            (stats.retried ? `  retried ${stats.retried}` : '') +
            (stats.failed ? `  failed ${stats.failed}` : ''),
        );
      }
    }
  }
  if (run.error) lines.push(`  error: ${run.error.error}: ${run.error.cause}`);
  return lines;
}
