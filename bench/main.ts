/**
 * `npm run bench`: the pipeline's throughput against the DynamoDB floor, its request economy and AWS
 * cost, the pacing at the provider's budget, the scale curve and the eventDetails latency, all on the
 * local stack. Each scenario runs in its own process (bench/scenario.ts) so tables start empty.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parse, positiveInt, runMain } from '#cli/args';
import { lastJsonLine, ROOT, runChild, TSX } from '#cli/child';
import type { ApiResult } from './api';
import { pacingChartSvg, scaleChartSvg } from './chart';
import { type BenchReport, buildReport, formatReport } from './report';
import { pacingRuns, SMALL_FANS } from './runs';
import type { Scenario, WindowResult } from './scenario';

const USAGE = `Usage: npm run bench -- [options]

Measures the notification pipeline on the embedded local stack.

Options:
  --fans N     fans on the big sale of the throughput run (default 50000)
  --mps M      SMS budget of the pacing run in messages per second (default 100)
  --full       add 200,000 fans to the scale curve
  --json       print the report as one JSON object on the last line of stdout
  -h, --help   this help`;

const RESULTS = join(ROOT, 'results');

const partial: unknown[] = [];

/** Runs one scenario in a child process; each result is also appended to results/bench-partial.json. */
async function runScenario<T>(scenario: Scenario, log: (line: string) => void): Promise<T> {
  const result = await spawnScenario<T>(scenario, log);
  partial.push(result);
  await mkdir(RESULTS, { recursive: true });
  await writeFile(join(RESULTS, 'bench-partial.json'), `${JSON.stringify(partial, null, 2)}\n`);
  return result;
}

async function spawnScenario<T>(scenario: Scenario, log: (line: string) => void): Promise<T> {
  // The API scenario starts its server's process with the Node flags it needs itself (scenario.ts).
  const { code, stdout } = await runChild(TSX, ['bench/scenario.ts', JSON.stringify(scenario)], {
    onStderrLine: (line) => {
      if (!line.includes('No application metrics')) log(`  | ${line}`);
    },
  });
  if (code !== 0) throw new Error(`scenario ${JSON.stringify(scenario)} exited with ${code}`);
  const result = lastJsonLine<T>(stdout);
  if (result === undefined) throw new Error(`scenario ${JSON.stringify(scenario)} printed no result`);
  return result;
}

async function main(): Promise<number> {
  const { values } = parse(process.argv.slice(2), {
    fans: { type: 'string' },
    mps: { type: 'string' },
    full: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const fans = positiveInt(values.fans, '--fans', 50_000);
  const mps = positiveInt(values.mps, '--mps', 100);
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

  const sizes = [...new Set([1_000, 10_000, fans, ...(values.full ? [200_000] : [])])]
    .filter((size) => size <= fans || size === 200_000)
    .sort((a, b) => a - b);
  // The floor is measured at 10,000 fans and at the throughput run's size.
  const floored = new Set([10_000, fans]);

  const scale: WindowResult[] = [];
  for (const size of sizes.filter((size) => size !== fans)) {
    const floor = floored.has(size);
    log(`[${elapsed()}] scale: ${size.toLocaleString('en-US')} fans${floor ? ', then the floor' : ''}...`);
    scale.push(
      await runScenario<WindowResult>({ kind: 'window', fans: size, smallFans: SMALL_FANS, floor }, log),
    );
  }
  log(
    `[${elapsed()}] throughput: ${fans.toLocaleString('en-US')} fans, unthrottled provider, then the floor...`,
  );
  const throughput = await runScenario<WindowResult>(
    { kind: 'window', fans, smallFans: SMALL_FANS, floor: true },
    log,
  );
  scale.push(throughput);
  scale.sort((a, b) => a.fans - b.fans);

  const pacing: Array<{ label: string; result: WindowResult }> = [];
  for (const run of pacingRuns(fans, mps)) {
    log(
      `[${elapsed()}] pacing, ${run.label}: ${run.messages.toLocaleString('en-US')} messages at ${mps}/s...`,
    );
    pacing.push({ label: run.label, result: await runScenario<WindowResult>(run.scenario, log) });
  }
  log(`[${elapsed()}] api: eventDetails, 100 concurrent requests...`);
  const api = await runScenario<ApiResult>({ kind: 'api', concurrency: 100, requests: 10_000 }, log);

  const report: BenchReport = buildReport({
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
    },
    date: new Date().toISOString(),
    throughput,
    floored: scale.filter((result) => result.floor !== undefined),
    pacing,
    scale,
    api,
    totalMs: Date.now() - started,
  });
  await mkdir(RESULTS, { recursive: true });
  const stamp = report.date.replace(/[:.]/g, '-');
  const subtitle = `${report.machine.cores} cores, ${report.date.slice(0, 10)}`;
  const scaleChart = join(RESULTS, `bench-scale-${stamp}.svg`);
  await writeFile(scaleChart, scaleChartSvg(report.scale, subtitle));
  const pacingChart = join(RESULTS, `bench-pacing-${stamp}.svg`);
  await writeFile(
    pacingChart,
    pacingChartSvg(
      report.pacing.map((p) => ({
        label: `${p.label}: ${Math.round(p.share * 1000) / 10} % of ${p.mps}/s`,
        perSecond: p.perSecond,
      })),
      mps,
      subtitle,
    ),
  );
  report.charts = { scale: scaleChart, pacing: pacingChart };
  await writeFile(join(RESULTS, `bench-${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(`${formatReport(report).join('\n')}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
  return 0;
}

void runMain(USAGE, main);
