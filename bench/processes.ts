/**
 * Peak memory of this process and of the processes it started (the local DynamoDB runs in a child),
 * read from Linux's /proc: VmHWM is a process's peak resident set size over its life
 * (https://man7.org/linux/man-pages/man5/proc_pid_status.5.html). Elsewhere the list is empty.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface ProcessPeak {
  /** What the process is: `pipeline` (this one) or the script a child runs (e.g. dynalite-child.cjs). */
  name: string;
  pid: number;
  peakRssMb: number;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** VmHWM of a process in MB, from the text of /proc/<pid>/status. */
export function peakRssMbOf(status: string): number | undefined {
  const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
  return match ? Number(match[1]) / 1024 : undefined;
}

/** The parent pid, from the text of /proc/<pid>/stat (the command may hold spaces and parentheses). */
export function parentPidOf(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** A short name for a command line: the script it runs, else the program. */
export function processName(cmdline: string): string {
  const args = cmdline.split('\0').filter((arg) => arg !== '');
  const script = args.find((arg) => /\.(c|m)?(j|t)s$/.test(arg));
  return (script ?? args[0] ?? 'unknown').split('/').pop() ?? 'unknown';
}

/**
 * CPU seconds (user + system) a process has used, from the text of /proc/<pid>/stat: utime and stime are
 * its fields 14 and 15, in clock ticks of sysconf(_SC_CLK_TCK), 100 per second on Linux
 * (https://man7.org/linux/man-pages/man5/proc_pid_stat.5.html).
 */
export function cpuSecondsOf(stat: string, ticksPerSecond = 100): number | undefined {
  // Fields from the 3rd (state) on, after the command in parentheses: utime is the 12th of them.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) ? (utime + stime) / ticksPerSecond : undefined;
}

/** This process (`pipeline`) and the processes it started, by pid. */
function family(self: number): Array<{ name: string; pid: number }> {
  const members = [{ name: 'pipeline', pid: self }];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === self || parentPidOf(read(`/proc/${pid}/stat`) ?? '') !== self) continue;
    members.push({ name: processName(read(`/proc/${pid}/cmdline`) ?? ''), pid });
  }
  return members;
}

/** One reading per process of this family (`pipeline` first), from the text of /proc/<pid>/<file>. */
function readFamily<T>(self: number, file: 'status' | 'stat', parse: (text: string) => T | undefined) {
  return family(self).flatMap(({ name, pid }) => {
    const value = parse(read(`/proc/${pid}/${file}`) ?? '');
    return value === undefined ? [] : [{ name, pid, value }];
  });
}

/** This process (`pipeline`) and its children, each with its peak RSS so far; call before they exit. */
export function processPeaks(self = process.pid): ProcessPeak[] {
  return readFamily(self, 'status', peakRssMbOf).map(({ name, pid, value }) => ({
    name,
    pid,
    peakRssMb: value,
  }));
}

export interface ProcessCpu {
  name: string;
  pid: number;
  cpuSeconds: number;
}

/** CPU seconds used so far by this process (`pipeline`) and by each of its children. */
export function processCpu(self = process.pid): ProcessCpu[] {
  return readFamily(self, 'stat', (text) => cpuSecondsOf(text)).map(({ name, pid, value }) => ({
    name,
    pid,
    cpuSeconds: value,
  }));
}

/** CPU seconds each process used between two readings of processCpu (processes of `after` only). */
export function cpuBetween(before: readonly ProcessCpu[], after: readonly ProcessCpu[]): ProcessCpu[] {
  return after.map((process) => ({
    ...process,
    cpuSeconds:
      Math.round((process.cpuSeconds - (before.find((p) => p.pid === process.pid)?.cpuSeconds ?? 0)) * 100) /
      100,
  }));
}
