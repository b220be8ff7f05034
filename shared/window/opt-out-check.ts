/**
 * Send's opt-out check right before each hand-over, read for several fans at once. The page's fans are
 * taken in chunks of about one second of the shard's pace: the first fan of a chunk to need its check
 * reads the whole chunk's contacts in one BatchGetItem, and the others use that answer while it is
 * fresh (`freshMs`); a fan whose chunk was read longer ago than that is read again on its own. So a STOP
 * recorded more than `freshMs` before a hand-over always stops it, at one read per chunk instead of one
 * per fan.
 */
import type { OptOutStore } from './stores';

/** How old an opt-out answer may be when the message is handed over. */
export const OPT_OUT_FRESH_MS = 2000;
const BATCH_GET_LIMIT = 100;

export class OptOutCheck {
  private readonly chunk: number;
  private readonly reads = new Map<number, { at: number; found: Promise<Set<string>> }>();

  /**
   * @param hashes the contact hash of each fan of the page, in turn order (undefined: no contact)
   * @param perSecond the shard's pace: a chunk is the fans due within about one second
   */
  constructor(
    private readonly hashes: ReadonlyArray<string | undefined>,
    perSecond: number,
    private readonly optOuts: Pick<OptOutStore, 'optedOut'>,
    private readonly now: () => number,
    private readonly freshMs = OPT_OUT_FRESH_MS,
  ) {
    this.chunk = Math.max(1, Math.min(BATCH_GET_LIMIT, Math.ceil(perSecond)));
  }

  /** Whether the contact `hash` of the page's fan at `index` has opted out. */
  async optedOut(index: number, hash: string): Promise<boolean> {
    const chunk = Math.floor(index / this.chunk);
    const read = this.reads.get(chunk);
    if (read && this.now() - read.at <= this.freshMs && this.hashes[index] === hash) {
      return (await read.found).has(hash);
    }
    if (read || this.hashes[index] !== hash) return (await this.optOuts.optedOut([hash])).has(hash);
    const keys = this.hashes
      .slice(chunk * this.chunk, (chunk + 1) * this.chunk)
      .filter((key): key is string => key !== undefined);
    const fresh = { at: this.now(), found: this.optOuts.optedOut(keys) };
    this.reads.set(chunk, fresh);
    return (await fresh.found).has(hash);
  }
}
