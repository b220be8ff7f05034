/**
 * Live progress of a local window run: on a terminal one line redrawn in place, otherwise a plain line
 * every few seconds. Counts come from the engine's events and the SMS sandbox.
 */
import type { EventLog } from './stepfunctions/runner';

export class RunProgress {
  private sales = 0;
  private salesDone = 0;
  private shards = 0;
  private shardsDone = 0;
  private pages = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly started = Date.now();
  private lastPlain = 0;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly handedOff: () => number,
  ) {}

  onEvent = (event: EventLog): void => {
    if (event.type === 'MapIterationStarted') {
      if (event.parentState.name === 'Sales') this.sales++;
      else this.shards++;
    } else if (event.type === 'MapIterationSucceeded' || event.type === 'MapIterationFailed') {
      if (event.parentState.name === 'Sales') this.salesDone++;
      else this.shardsDone++;
    } else if (event.type === 'StateExited' && event.state.name === 'RenderPage') {
      this.pages++;
    }
  };

  start(): void {
    this.timer = setInterval(() => this.draw(false), this.out.isTTY ? 200 : 1000);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.draw(true);
    if (this.out.isTTY) this.out.write('\n');
  }

  private line(): string {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(1);
    return `sales ${this.salesDone}/${this.sales} · shards ${this.shardsDone}/${this.shards} · pages ${this.pages} · handed to providers ${this.handedOff()} · ${elapsed} s`;
  }

  private draw(final: boolean): void {
    if (this.out.isTTY) {
      this.out.write(`\r\x1b[K${this.line()}`);
    } else if (final || Date.now() - this.lastPlain >= 5000) {
      this.lastPlain = Date.now();
      this.out.write(`${this.line()}\n`);
    }
  }
}
