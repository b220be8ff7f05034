/**
 * Runs a child process to its end, collecting what it prints: the bench's scenarios, the chaos suite's
 * scenario processes, the load generator and the demo under test each run in a process of their own and
 * end with one JSON line on stdout, their result; the infra checks run cfn-lint and moto through it.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** The repository's root, where the commands run. */
export const ROOT = join(__dirname, '..');

/** The tsx binary of the repository, to run a TypeScript entry point in a child. */
export const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

export interface ChildOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ChildOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Called with each line the child writes on stderr, as it comes. */
  onStderrLine?: (line: string) => void;
  /** Written to the child's stdin, which is then closed (at once, empty, without it). */
  input?: string;
}

/**
 * Runs `command args`; resolves when it has exited, rejects when it could not start (ENOENT: no such
 * command).
 */
export function runChild(
  command: string,
  args: readonly string[],
  options: ChildOptions = {},
): Promise<ChildOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd ?? ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stderr += text;
      if (options.onStderrLine)
        for (const line of text.split('\n')) if (line.trim()) options.onStderrLine(line);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    // A child that exits without reading its input closes the pipe: its exit status tells what happened.
    child.stdin.on('error', () => {});
    child.stdin.end(options.input ?? '');
  });
}

/** The last line of `stdout` parsed as JSON, or undefined when there is none or it is not JSON. */
export function lastJsonLine<T>(stdout: string): T | undefined {
  const last = stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as T;
  } catch {
    return undefined;
  }
}
