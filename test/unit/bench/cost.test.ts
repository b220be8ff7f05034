import { costOf, costPerMillion, gbSeconds, PRICES } from '#bench/cost';

describe('cost model', () => {
  it('prices transitions, Lambda, DynamoDB and Kinesis at the public rates', () => {
    const cost = costOf({
      transitions: 1000,
      lambdaInvocations: 1_000_000,
      lambdaGbSeconds: 1,
      dynamoWriteUnits: 1_000_000,
      dynamoReadUnits: 1_000_000,
      kinesisPuts: 0,
    });
    expect(cost.stepFunctions).toBeCloseTo(0.025, 10);
    expect(cost.lambda).toBeCloseTo(0.2 + PRICES.lambdaGbSecond, 10);
    expect(cost.dynamodb).toBeCloseTo(1.25 + 0.25, 10);
    expect(cost.total).toBeCloseTo(0.025 + 0.2 + PRICES.lambdaGbSecond + 1.5, 10);
  });

  it('scales linearly to a million notifications', () => {
    const usage = {
      transitions: 30,
      lambdaInvocations: 0,
      lambdaGbSeconds: 0,
      dynamoWriteUnits: 3000,
      dynamoReadUnits: 0,
      kinesisPuts: 0,
    };
    const perMillion = costPerMillion(usage, 1000);
    expect(perMillion.stepFunctions).toBeCloseTo(30 * 1000 * PRICES.transition, 10);
    expect(perMillion.dynamodb).toBeCloseTo(3_000_000 * PRICES.writeUnit, 10);
    expect(costPerMillion(usage, 0).total).toBe(0);
  });

  it('computes GB-seconds from milliseconds and MB', () => {
    expect(gbSeconds(2000, 512)).toBe(1);
    expect(gbSeconds(1000, 1024)).toBe(1);
  });
});
