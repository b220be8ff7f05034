import {
  cpuBetween,
  cpuSecondsOf,
  parentPidOf,
  peakRssMbOf,
  processCpu,
  processName,
  processPeaks,
} from '#bench/processes';

describe('process peaks', () => {
  it('reads the peak RSS (VmHWM) of a /proc status text in MB', () => {
    const status = 'Name:\tnode\nVmPeak:\t 2000000 kB\nVmHWM:\t  524288 kB\nVmRSS:\t  400000 kB\n';
    expect(peakRssMbOf(status)).toBe(512);
    expect(peakRssMbOf('Name:\tnode\n')).toBeUndefined();
  });

  it('reads the parent pid of a /proc stat text whose command holds spaces and parentheses', () => {
    expect(parentPidOf('4242 (node (worker) x) S 4100 4242 4100 0 -1')).toBe(4100);
  });

  it('names a process by the script it runs', () => {
    expect(
      processName('/usr/bin/node\0--max-old-space-size=4096\0/work/local/stack/dynalite-child.cjs\0{}\0'),
    ).toBe('dynalite-child.cjs');
    expect(processName('/usr/bin/python3\0-m\0http.server\0')).toBe('python3');
  });

  it('lists this process first, as the pipeline, on Linux', () => {
    const peaks = processPeaks();
    if (process.platform !== 'linux') return expect(peaks).toEqual([]);
    expect(peaks[0]).toMatchObject({ name: 'pipeline', pid: process.pid });
    expect(peaks[0]?.peakRssMb).toBeGreaterThan(10);
  });

  it('reads the CPU seconds (utime + stime, clock ticks) of a /proc stat text', () => {
    // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime ...
    const stat = '4242 (node (x) y) R 4100 4242 4100 0 -1 4194304 900 0 0 0 1234 56 0 0 20 0 11';
    expect(cpuSecondsOf(stat)).toBeCloseTo(12.9, 6);
    expect(cpuSecondsOf('4242 (node) R')).toBeUndefined();
  });

  it('gives the CPU each process used between two readings', () => {
    const before = [
      { name: 'pipeline', pid: 1, cpuSeconds: 10 },
      { name: 'dynalite-child.cjs', pid: 2, cpuSeconds: 3 },
    ];
    const after = [
      { name: 'pipeline', pid: 1, cpuSeconds: 25.5 },
      { name: 'dynalite-child.cjs', pid: 2, cpuSeconds: 9.25 },
      { name: 'sms-process-child.ts', pid: 3, cpuSeconds: 1.5 },
    ];
    expect(cpuBetween(before, after).map((p) => p.cpuSeconds)).toEqual([15.5, 6.25, 1.5]);
  });

  it('counts CPU this process spends, on Linux', () => {
    const before = processCpu();
    if (process.platform !== 'linux') return expect(before).toEqual([]);
    const until = Date.now() + 300;
    let spin = 0;
    while (Date.now() < until) spin += 1;
    const used = cpuBetween(before, processCpu())[0];
    expect(spin).toBeGreaterThan(0);
    expect(used).toMatchObject({ name: 'pipeline', pid: process.pid });
    expect(used?.cpuSeconds).toBeGreaterThanOrEqual(0.2);
  });
});
