/**
 * Send's opt-out check right before each hand-over, read for several fans at once. The page's fans are
 * taken in chunks of about one second of the shard's pace: the first fan of a chunk to need its check
 * reads the whole chunk's contacts in one BatchGetItem, and the others use that answer while it is
 * fresh (`freshMs`); the first fan to find it older reads the rest of the chunk again. So a STOP recorded
 * more than `freshMs` before a hand-over always stops it, at about one read per chunk instead of one per
 * fan.
 */
import type { OptOutStore } from './stores';

/** How old an opt-out answer may be when the message is handed over. */
export const OPT_OUT_FRESH_MS = 2000;
const BATCH_GET_LIMIT = 100;

export class OptOutCheck {
  private readonly chunk: number;
  private readonly reads = new Map<number, { at: number; from: number; found: Promise<Set<string>> }>();

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
    if (this.hashes[index] !== hash) return (await this.optOuts.optedOut([hash])).has(hash);
    const chunk = Math.floor(index / this.chunk);
    let read = this.reads.get(chunk);
    if (read && index < read.from) return (await this.optOuts.optedOut([hash])).has(hash);
    if (!read || this.now() - read.at > this.freshMs) {
      // The chunk's answer is missing or too old: read the rest of the chunk from this fan on.
      const keys = this.hashes
        .slice(index, (chunk + 1) * this.chunk)
        .filter((key): key is string => key !== undefined);
      read = { at: this.now(), from: index, found: this.optOuts.optedOut(keys) };
      this.reads.set(chunk, read);
    }
    return (await read.found).has(hash);
  }
}
