import { OPT_OUT_FRESH_MS, OptOutCheck } from '#shared/window/opt-out-check';
import { MemoryOptOuts } from '#test/helpers/memory-stores';

/** Opt-outs whose reads are counted, as BatchGetItem calls. */
class CountedOptOuts extends MemoryOptOuts {
  readonly reads: string[][] = [];
  override async optedOut(hashes: string[]): Promise<Set<string>> {
    this.reads.push([...hashes]);
    return super.optedOut(hashes);
  }
}

const hashes = Array.from({ length: 10 }, (_, i) => `h${i}`);

describe('OptOutCheck', () => {
  it('reads the contacts due within about a second at once: one read per chunk of the pace', async () => {
    const optOuts = new CountedOptOuts();
    optOuts.optOut('h7');
    const check = new OptOutCheck(hashes, 5, optOuts, () => 0);

    const answers = await Promise.all(hashes.map((hash, index) => check.optedOut(index, hash)));

    expect(answers.map((stopped, i) => (stopped ? hashes[i] : null)).filter(Boolean)).toEqual(['h7']);
    expect(optOuts.reads).toEqual([
      ['h0', 'h1', 'h2', 'h3', 'h4'],
      ['h5', 'h6', 'h7', 'h8', 'h9'],
    ]);
  });

  it('reads the rest of a chunk again when its answer is older than the freshness limit', async () => {
    const optOuts = new CountedOptOuts();
    let now = 0;
    const check = new OptOutCheck(hashes, 10, optOuts, () => now);
    await expect(check.optedOut(0, 'h0')).resolves.toBe(false);

    // A STOP after the chunk was read, more than OPT_OUT_FRESH_MS before h3's turn: still caught.
    optOuts.optOut('h3');
    now = OPT_OUT_FRESH_MS + 1;
    await expect(check.optedOut(3, 'h3')).resolves.toBe(true);
    expect(optOuts.reads).toEqual([hashes, hashes.slice(3)]);
    // h4 uses the new answer; h2, before it and asked late, is read on its own.
    await expect(check.optedOut(4, 'h4')).resolves.toBe(false);
    await expect(check.optedOut(2, 'h2')).resolves.toBe(false);
    expect(optOuts.reads).toEqual([hashes, hashes.slice(3), ['h2']]);
  });

  it('reads on its own a hash that is not the one the page was planned with', async () => {
    const optOuts = new CountedOptOuts();
    optOuts.optOut('rendered');
    const check = new OptOutCheck(hashes, 10, optOuts, () => 0);

    await expect(check.optedOut(2, 'rendered')).resolves.toBe(true);
    expect(optOuts.reads).toEqual([['rendered']]);
  });

  it('leaves fans without a contact out of the read and never reads more than 100 keys at once', async () => {
    const many = Array.from({ length: 250 }, (_, i) => (i % 50 === 0 ? undefined : `k${i}`));
    const optOuts = new CountedOptOuts();
    const check = new OptOutCheck(many, 10_000, optOuts, () => 0);

    await Promise.all(many.map((hash, index) => (hash ? check.optedOut(index, hash) : undefined)));

    expect(optOuts.reads.map((keys) => keys.length)).toEqual([98, 98, 49]);
  });
});
