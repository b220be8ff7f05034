import { lastJsonLine, runChild } from '#cli/child';

describe('runChild', () => {
  it('collects what the child prints and its exit code, and streams its stderr lines', async () => {
    const lines: string[] = [];
    const outcome = await runChild(
      process.execPath,
      [
        '-e',
        'console.log("progress"); console.error("warn 1\\nwarn 2"); console.log(JSON.stringify({ ok: 1 })); process.exit(3)',
      ],
      { onStderrLine: (line) => lines.push(line) },
    );

    expect(outcome.code).toBe(3);
    expect(lastJsonLine(outcome.stdout)).toEqual({ ok: 1 });
    expect(lines).toEqual(['warn 1', 'warn 2']);
    expect(outcome.stderr).toBe('warn 1\nwarn 2\n');
  });

  it('writes the input to the child’s stdin and closes it; without input the child reads nothing', async () => {
    const echo = [
      '-e',
      'let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => console.log(JSON.stringify({ s })))',
    ];

    expect(lastJsonLine((await runChild(process.execPath, echo, { input: '{"a":1}' })).stdout)).toEqual({
      s: '{"a":1}',
    });
    expect(lastJsonLine((await runChild(process.execPath, echo)).stdout)).toEqual({ s: '' });
  });

  it('rejects when the command cannot start', async () => {
    await expect(runChild('/nonexistent/command', [])).rejects.toThrow(/ENOENT/);
  });
});

describe('lastJsonLine', () => {
  it('reads the result a child prints last, after its progress lines', () => {
    expect(lastJsonLine('starting\n{"a":1}\n{"b":2}\n\n')).toEqual({ b: 2 });
  });

  it('answers undefined when the last line is not JSON or there is none', () => {
    expect(lastJsonLine('{"a":1}\ncrashed')).toBeUndefined();
    expect(lastJsonLine('')).toBeUndefined();
  });
});
