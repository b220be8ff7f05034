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

/** What a redrive needs of one execution (the run itself or a child of a Map Run). */
export interface ExecutionState {
  status: RunStatus | 'PENDING';
  output?: unknown;
  error?: { error: string; cause: string };
  /** The state a failed or aborted execution stopped in, with its input: a redrive continues there. */
  stoppedIn?: { state: string; input: unknown };
  /** The latest Map Run of each distributed Map state of this execution. */
  mapRuns?: Record<string, MapRunRecord>;
}

export interface MapRunRecord {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  /** Each child's input (after ItemSelector), by item index. */
  inputs: unknown[];
  children: ExecutionState[];
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
  stoppedIn?: { state: string; input: unknown };
  mapRuns?: Record<string, MapRunRecord>;
  /** The last Summarize result of the run (also of a run that then failed). */
  summary?: unknown;
  /** State transitions (states entered), as Step Functions bills them. */
  transitions: number;
  /** Lambda invocations by function. */
  invocations: Record<string, number>;
  redrives: number;
  trace: TraceEntry[];
}
