/**
 * Independent checks of what the stack sends to AWS, by tools that are not ours: cfn-lint (AWS's
 * CloudFormation linter: resource schemas, the ASL schema of state machine definitions, IAM action names)
 * and moto (its Step Functions ASL parser must accept the definition on CreateStateMachine). Both are Python
 * tools installed on every machine of the project (pip); when one is missing the check fails and says how
 * to install it, it never passes silently.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type ChildOutcome, runChild } from '#cli/child';
import { InfraError } from '../errors';
import type { CloudFormationTemplate } from './cloudformation';

/** A tool the check needs is not installed (or not on PATH). */
export class CheckToolMissingError extends InfraError {
  constructor(tool: string, install: string, detail: string) {
    super(`${tool} is not available (${detail}): install it with \`${install}\` (CI machines have it)`);
    this.name = 'CheckToolMissingError';
  }
}

export const CFN_LINT_INSTALL = 'pip install cfn-lint';
export const MOTO_INSTALL = "pip install 'moto[stepfunctions]' boto3";

const MOTO_SCRIPT = path.join(__dirname, 'moto-create-state-machine.py');

/** Runs a check tool; a command that is not installed is a CheckToolMissingError naming the install. */
async function run(
  command: string,
  args: string[],
  input: string | undefined,
  tool: string,
  install: string,
): Promise<ChildOutcome> {
  try {
    return await runChild(command, args, input === undefined ? {} : { input });
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CheckToolMissingError(tool, install, `${command}: not found`);
    }
    throw error;
  }
}

/** One cfn-lint finding (`--format json`). */
export interface CfnLintFinding {
  rule: string;
  level: string;
  message: string;
  /** The template's name, as given to lintTemplates. */
  template: string;
  /** Where in the template, e.g. `Resources/DevWindowMachine/Properties/Definition/States/...`. */
  path: string;
}

/**
 * Lints each template with one cfn-lint process; returns every finding (errors, warnings and informational),
 * keyed back to the template's name. An empty list means cfn-lint accepts them all.
 */
export async function lintTemplates(
  templates: Record<string, CloudFormationTemplate>,
  command = 'cfn-lint',
): Promise<CfnLintFinding[]> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dmd-cfn-lint-'));
  try {
    const files: Record<string, string> = {};
    for (const [name, template] of Object.entries(templates)) {
      const file = path.join(dir, `${name.replace(/[^A-Za-z0-9-]/g, '_')}.json`);
      writeFileSync(file, JSON.stringify(template, null, 2));
      files[file] = name;
    }
    const ran = await run(
      command,
      ['--format', 'json', '--', ...Object.keys(files)],
      undefined,
      'cfn-lint',
      CFN_LINT_INSTALL,
    );
    // Exit status: 0 clean, else a bit set of 2 (errors), 4 (warnings), 8 (informational); 1 = it crashed.
    if (ran.code === 1 || ran.code === null || (ran.code & 1) === 1) {
      throw new InfraError(`cfn-lint failed to run (exit ${ran.code}): ${ran.stderr.slice(0, 2000)}`);
    }
    const parsed = JSON.parse(ran.stdout || '[]') as Array<{
      Rule: { Id: string };
      Level: string;
      Message: string;
      Filename: string;
      Location?: { Path?: Array<string | number> };
    }>;
    return parsed.map((finding) => ({
      rule: finding.Rule.Id,
      level: finding.Level,
      message: finding.Message,
      template: files[finding.Filename] ?? finding.Filename,
      path: (finding.Location?.Path ?? []).join('/'),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** moto's verdict on one definition: accepted, or the parser's error. */
export type MotoVerdict = { ok: true } | { ok: false; error: string };

/**
 * Creates one state machine per definition in moto's Step Functions (ASL parser on), in one Python process.
 * Returns moto's verdict per name.
 */
export async function motoCreateStateMachines(
  definitions: Record<string, string>,
  python: readonly [string, ...string[]] = ['python3'],
): Promise<Record<string, MotoVerdict>> {
  const [command, ...args] = python;
  const ran = await run(
    command,
    [...args, MOTO_SCRIPT],
    JSON.stringify(definitions),
    'python3',
    MOTO_INSTALL,
  );
  if (ran.code === 3) {
    const missing = (JSON.parse(ran.stdout) as { missing: string }).missing;
    throw new CheckToolMissingError('moto', MOTO_INSTALL, missing);
  }
  if (ran.code !== 0) {
    throw new InfraError(`moto check failed to run (exit ${ran.code}): ${ran.stderr.slice(0, 2000)}`);
  }
  return JSON.parse(ran.stdout) as Record<string, MotoVerdict>;
}

/**
 * cfn-lint's ASL schema refuses InputPath and OutputPath on a Succeed state, which the States Language
 * allows (https://states-language.net/spec.html#state-type-table: every state but Fail takes both) and
 * Step Functions accepts. Drops exactly those findings, after checking that the state really is a Succeed.
 */
export function withoutKnownFalsePositives(
  findings: readonly CfnLintFinding[],
  templates: Record<string, CloudFormationTemplate>,
): CfnLintFinding[] {
  return findings.filter((finding) => {
    const field = /\('(InputPath|OutputPath)' was unexpected\)/.exec(finding.message)?.[1];
    if (finding.rule !== 'E3601' || !field || !finding.path.endsWith(`/${field}`)) return true;
    const segments = finding.path.split('/').slice(0, -1);
    let node: unknown = templates[finding.template];
    for (const segment of segments) {
      node =
        node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[segment] : undefined;
    }
    return (node as { Type?: unknown } | undefined)?.Type !== 'Succeed';
  });
}
