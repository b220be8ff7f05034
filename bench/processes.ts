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

/** This process (`pipeline`) and its children, each with its peak RSS so far; call before they exit. */
export function processPeaks(self = process.pid): ProcessPeak[] {
  const peaks: ProcessPeak[] = [];
  const own = peakRssMbOf(read(`/proc/${self}/status`) ?? '');
  if (own === undefined) return peaks;
  peaks.push({ name: 'pipeline', pid: self, peakRssMb: own });
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === self || parentPidOf(read(`/proc/${pid}/stat`) ?? '') !== self) continue;
    const peak = peakRssMbOf(read(`/proc/${pid}/status`) ?? '');
    if (peak === undefined) continue;
    peaks.push({ name: processName(read(`/proc/${pid}/cmdline`) ?? ''), pid, peakRssMb: peak });
  }
  return peaks;
}
