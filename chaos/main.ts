/**
 * `npm run chaos`: runs the demo window under one injected fault at a time (duplicate schedules, Lambda
 * crashes at each step boundary with retries and redrives, provider faults, Discovery and Bitly outages,
 * status stream faults, DynamoDB throttling), checks the delivery invariants from the stored data, runs
 * the bad-input corpus, and prints one table. Exits 1 when any invariant is violated.
 */
import { parse, positiveInt, runMain, UsageError } from '#cli/args';
import { lastJsonLine, runChild } from '#cli/child';
import { type CorpusResult, runCorpus } from './corpus';
import { countSum, emptyReport, holds } from './invariants';
import { runScenario, SCENARIOS, type ScenarioResult } from './scenarios';
import { formatCorpus, formatTable } from './table';

const USAGE = `Usage: npm run chaos -- [options]

Runs the demo window on the embedded local stack once per fault scenario and checks, from the stored
data, that no fan is sent twice, no fan is lost without a reason, retries stop at 3 and nothing is left
half-done. Then feeds the bad-input corpus to the real entry points.

Options:
  --fans N           fans to generate per scenario (default 2000)
  --only NAMES       comma-separated scenario names (default: all); "none" runs only the corpus
  --seed N           random seed of the fans and the injected faults (default 20261208)
  --no-corpus        skip the bad-input corpus
  --json             print the results as one JSON object on the last line of stdout
  --list             list the scenarios and exit
  -h, --help         this help`;

async function main(): Promise<number> {
  const { values } = parse(process.argv.slice(2), {
    fans: { type: 'string' },
    only: { type: 'string' },
    seed: { type: 'string' },
    'no-corpus': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    child: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.list) {
    for (const scenario of SCENARIOS) process.stdout.write(`${scenario.name.padEnd(28)} ${scenario.fault}\n`);
    return 0;
  }
  const fans = positiveInt(values.fans, '--fans', 2000);
  const seed = positiveInt(values.seed, '--seed', 20261208);
  const names = values.only?.split(',').map((name) => name.trim()) ?? SCENARIOS.map((s) => s.name);
  const unknown = names.filter((name) => name !== 'none' && !SCENARIOS.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new UsageError(`unknown scenario ${unknown.join(', ')} (see --list)`);
  }
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (values.child) {
    // One scenario in this process (the AWS clients and handler configs are per process).
    const scenario = SCENARIOS.find((s) => s.name === values.child);
    if (!scenario) throw new UsageError(`unknown scenario ${values.child}`);
    process.stdout.write(`${JSON.stringify(await runScenario(scenario, { fans, seed }))}\n`);
    return 0;
  }

  const results: ScenarioResult[] = [];
  for (const scenario of SCENARIOS.filter((s) => names.includes(s.name))) {
    log(`chaos: ${scenario.name}: ${scenario.fault} (${fans} fans)...`);
    const result = await runScenarioProcess(scenario.name, fans, seed);
    log(
      `  ${result.outcome}; ${result.report.sends} sends, max ${result.report.maxSendsPerKey} per key, ${countSum(result.report.lost)} lost, ${(result.durationMs / 1000).toFixed(1)} s`,
    );
    results.push(result);
  }
  let corpus: CorpusResult[] = [];
  if (!values['no-corpus']) {
    log('chaos: bad-input corpus...');
    corpus = await runCorpus();
  }

  const out = process.stdout;
  if (results.length > 0) out.write(`\n${formatTable(results).join('\n')}\n`);
  if (corpus.length > 0) out.write(`\n${formatCorpus(corpus).join('\n')}\n`);
  const violations = results.filter((r) => !r.succeeded || !holds(r.report) || hasViolationNote(r)).length;
  const corpusFailures = corpus.filter((c) => !c.ok).length;
  out.write(
    `\n${violations === 0 && corpusFailures === 0 ? 'ALL INVARIANTS HOLD' : 'VIOLATIONS'}: ${results.length - violations}/${results.length} scenarios hold, ${corpus.length - corpusFailures}/${corpus.length} bad inputs handled\n`,
  );
  if (values.json) out.write(`${JSON.stringify({ fans, seed, scenarios: results, corpus })}\n`);
  return violations === 0 && corpusFailures === 0 ? 0 : 1;
}

/** Runs one scenario in a child process of its own: a fresh stack, clients and handler configuration. */
async function runScenarioProcess(name: string, fans: number, seed: number): Promise<ScenarioResult> {
  const script = process.argv[1] ?? 'chaos/main.ts';
  const args = [...process.execArgv, script, '--child', name, '--fans', String(fans), '--seed', String(seed)];
  const { code, stdout, stderr } = await runChild(process.execPath, args, { cwd: process.cwd() });
  const result = lastJsonLine<ScenarioResult>(stdout);
  if (result === undefined) {
    const reason = stderr
      .split('\n')
      .filter((line) => /error/i.test(line) && !/No application metrics/.test(line))
      .slice(0, 3)
      .join(' | ');
    return crashedResult(name, `scenario process exited ${code}: ${reason}`);
  }
  return result;
}

function crashedResult(name: string, error: string): ScenarioResult {
  const scenario = SCENARIOS.find((s) => s.name === name);
  return {
    name,
    fault: scenario?.fault ?? '',
    outcome: 'CRASHED',
    succeeded: false,
    report: emptyReport(),
    notes: [`VIOLATION: ${error}`],
    durationMs: 0,
    error,
  };
}

function hasViolationNote(result: ScenarioResult): boolean {
  return result.notes.some((note) => note.startsWith('VIOLATION'));
}

void runMain(USAGE, main);
