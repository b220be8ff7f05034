export type RunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

/** One line of a run's history, like the console's event history (without state input/output). */
export interface TraceEntry {
  /** Milliseconds since the run started. */
  at: number;
  type: string;
  state?: string;
  /** Map iteration index, for states inside a map. */
  index?: number;
  /** The Map state an iteration event belongs to. */
  parent?: string;
  error?: string;
  cause?: string;
  attempt?: number;
}

export interface LocalRunRecord {
  executionName: string;
  scheduledTime: string;
  input: Record<string, unknown>;
  status: RunStatus;
  startedAt: string;
  stoppedAt?: string;
  durationMs?: number;
  output?: unknown;
  error?: { error: string; cause: string };
  /** State transitions (states entered), as Step Functions bills them. */
  transitions: number;
  /** Lambda invocations by function. */
  invocations: Record<string, number>;
  redrives: number;
  trace: TraceEntry[];
}
