/**
 * The worst case the configuration allows, against the time limits that must hold it (checked at config
 * load: the Pulumi program and every function's cold start). A run lasts at most until the last sale it
 * may hand over starts (its window plus the plan's look-ahead), then summarizes; one Send page at the
 * slowest pace the plan gives a sender takes `pageSize / MIN_SENDER_MPS` seconds plus one provider
 * time-out. Each problem names the setting to change.
 */
import { SLOT_MINUTES } from '#shared/domain/windows';
import { MIN_SENDER_MPS } from './deadline-plan';

/** Summarizing (and the second pass's bookkeeping) after the last hand-over. */
export const SUMMARY_MARGIN_SECONDS = 10 * 60;
/** Reading the page's contacts and recording the outcomes around the paced sends. */
export const PAGE_MARGIN_SECONDS = 10;

export interface TimeoutInputs {
  leadMinutes: number;
  lookAheadMinutes: number;
  pageSize: number;
  sendTimeoutMs: number;
}

export interface TimeoutLimits {
  /** The state machine's TimeoutSeconds (omitted where the definition is not at hand, in a Lambda). */
  executionSeconds?: number;
  /** The SendPage function's (and Task's) timeout. */
  sendPageSeconds: number;
}

export function worstRunSeconds(inputs: TimeoutInputs): number {
  return (inputs.leadMinutes + SLOT_MINUTES + inputs.lookAheadMinutes) * 60 + SUMMARY_MARGIN_SECONDS;
}

export function worstPageSeconds(inputs: TimeoutInputs): number {
  return inputs.pageSize / MIN_SENDER_MPS + inputs.sendTimeoutMs / 1000 + PAGE_MARGIN_SECONDS;
}

/** The problems, each naming the setting (`names`: how the caller's configuration spells each input). */
export function timeoutProblems(
  inputs: TimeoutInputs,
  limits: TimeoutLimits,
  names: Record<keyof TimeoutInputs, string>,
): string[] {
  const problems: string[] = [];
  const page = worstPageSeconds(inputs);
  if (page > limits.sendPageSeconds) {
    const most = Math.floor(
      (limits.sendPageSeconds - inputs.sendTimeoutMs / 1000 - PAGE_MARGIN_SECONDS) * MIN_SENDER_MPS,
    );
    problems.push(
      `${names.pageSize} ${inputs.pageSize}: a Send page at the slowest pace (${MIN_SENDER_MPS} msg/s) plus one provider time-out (${names.sendTimeoutMs} ${inputs.sendTimeoutMs}) takes up to ${Math.ceil(page)} s, more than SendPage's ${limits.sendPageSeconds} s timeout; use at most ${Math.max(1, most)}`,
    );
  }
  if (limits.executionSeconds !== undefined) {
    const run = worstRunSeconds(inputs);
    if (run > limits.executionSeconds) {
      problems.push(
        `${names.lookAheadMinutes} ${inputs.lookAheadMinutes} with ${names.leadMinutes} ${inputs.leadMinutes}: a window run may hand over until ${Math.ceil(run / 60)} minutes after its start, more than the state machine's TimeoutSeconds (${limits.executionSeconds} s); lower ${names.lookAheadMinutes}`,
      );
    }
  }
  return problems;
}
