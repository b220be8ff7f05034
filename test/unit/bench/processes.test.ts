import { parentPidOf, peakRssMbOf, processName, processPeaks } from '#bench/processes';

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
});
