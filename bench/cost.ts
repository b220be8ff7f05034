/**
 * AWS cost of a window at public on-demand prices (us-east-1): Step Functions Standard transitions,
 * Lambda requests and GB-seconds, DynamoDB on-demand request units, Kinesis PUT payload units. SMS and
 * email fees are excluded: they are the providers' and do not depend on the pipeline.
 */

export const PRICES = {
  /** Step Functions Standard, per state transition ($0.025 per 1,000). */
  transition: 0.025 / 1000,
  /** Lambda, per request ($0.20 per million). */
  lambdaRequest: 0.2 / 1_000_000,
  /** Lambda x86, per GB-second. */
  lambdaGbSecond: 0.0000166667,
  /** DynamoDB on-demand, per write request unit ($1.25 per million). */
  writeUnit: 1.25 / 1_000_000,
  /** DynamoDB on-demand, per read request unit ($0.25 per million). */
  readUnit: 0.25 / 1_000_000,
  /** Kinesis on-demand, per 25 KB PUT payload unit ($0.08 per million; records under 25 KB). */
  kinesisPut: 0.08 / 1_000_000,
} as const;

export interface UsageCounts {
  transitions: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  dynamoWriteUnits: number;
  dynamoReadUnits: number;
  kinesisPuts: number;
}

export interface CostBreakdown {
  stepFunctions: number;
  lambda: number;
  dynamodb: number;
  kinesis: number;
  total: number;
}

/** Dollars for the usage as counted. */
export function costOf(usage: UsageCounts): CostBreakdown {
  const stepFunctions = usage.transitions * PRICES.transition;
  const lambda =
    usage.lambdaInvocations * PRICES.lambdaRequest + usage.lambdaGbSeconds * PRICES.lambdaGbSecond;
  const dynamodb = usage.dynamoWriteUnits * PRICES.writeUnit + usage.dynamoReadUnits * PRICES.readUnit;
  const kinesis = usage.kinesisPuts * PRICES.kinesisPut;
  return { stepFunctions, lambda, dynamodb, kinesis, total: stepFunctions + lambda + dynamodb + kinesis };
}

/** The cost scaled to one million notifications (linear in the counts). */
export function costPerMillion(usage: UsageCounts, notifications: number): CostBreakdown {
  const cost = costOf(usage);
  const factor = notifications === 0 ? 0 : 1_000_000 / notifications;
  return {
    stepFunctions: cost.stepFunctions * factor,
    lambda: cost.lambda * factor,
    dynamodb: cost.dynamodb * factor,
    kinesis: cost.kinesis * factor,
    total: cost.total * factor,
  };
}

/** GB-seconds of task durations (ms) at the given memory (MB). */
export function gbSeconds(durationMs: number, memoryMb: number): number {
  return (durationMs / 1000) * (memoryMb / 1024);
}
