/**
 * Local window runs kept as JSON files (DIR/runs/<executionName>.json) so the CLI can list them, show
 * their trace and redrive them; in memory when the stack has no data dir.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LocalRunRecord } from './types';

export interface RunStore {
  save(run: LocalRunRecord): Promise<void>;
  get(executionName: string): Promise<LocalRunRecord | undefined>;
  list(): Promise<LocalRunRecord[]>;
}

export class MemoryRunStore implements RunStore {
  private readonly runs = new Map<string, LocalRunRecord>();

  async save(run: LocalRunRecord): Promise<void> {
    this.runs.set(run.executionName, run);
  }

  async get(executionName: string): Promise<LocalRunRecord | undefined> {
    return this.runs.get(executionName);
  }

  async list(): Promise<LocalRunRecord[]> {
    return [...this.runs.values()].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }
}

export class FileRunStore implements RunStore {
  private readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'runs');
  }

  async save(run: LocalRunRecord): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, `${run.executionName}.json`), `${JSON.stringify(run)}\n`);
  }

  async get(executionName: string): Promise<LocalRunRecord | undefined> {
    if (!/^[A-Za-z0-9_-]+$/.test(executionName)) return undefined;
    try {
      return JSON.parse(await readFile(join(this.dir, `${executionName}.json`), 'utf8')) as LocalRunRecord;
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  async list(): Promise<LocalRunRecord[]> {
    let files: string[];
    try {
      files = (await readdir(this.dir)).filter((file) => file.endsWith('.json'));
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const runs = await Promise.all(files.map((file) => this.get(file.slice(0, -'.json'.length))));
    return runs
      .filter((run): run is LocalRunRecord => run !== undefined)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }
}

export function runStoreFor(dataDir: string | undefined): RunStore {
  return dataDir ? new FileRunStore(dataDir) : new MemoryRunStore();
}
