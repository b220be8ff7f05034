/**
 * Where the API server allocates: the sampling heap profiler (collected objects included) over a run of
 * eventDetails requests on a warm cache, as bench/api.ts's measureApi runs them (the server and the stack
 * in this process, the load generator in its own). Prints bytes per request and the top functions and
 * packages by sampled bytes; the profile is written to --out for a closer look (.heapprofile, loads in
 * Chrome DevTools). With --retained, only what is still alive after a full collection at the end (what the
 * requests leave behind).
 *
 *   npx tsx bench/api-heap-profile.ts [--requests 4000] [--concurrency 100] [--out /tmp/api.heapprofile]
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { parse } from '#cli/args';
import { type LambdaHandler, startApiServer } from '#local/api/server';
import { DEMO_US_EVENT } from '#local/demo';
import { startSession } from '#local/session';
import { runLoadGenerator } from './api';

interface ProfileNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: ProfileNode[];
}

/** The package of a script URL (node_modules/@scope/name or name), else the repo's folder, else node. */
function packageOf(url: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(
    url.split('node_modules/').length > 2 ? url.slice(url.lastIndexOf('node_modules/')) : url,
  );
  if (match) return match[1] ?? url;
  if (url.startsWith('node:') || url === '') return url || '(native)';
  const local = /\/(functions|shared|local|bench|cli)\//.exec(url);
  return local ? `#${local[1]}` : url;
}

function top(map: Map<string, number>, total: number, count: number): string[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(
      ([key, bytes]) =>
        `${((bytes / total) * 100).toFixed(1).padStart(5)}%  ${(bytes / 1024).toFixed(0).padStart(8)} KB  ${key}`,
    );
}

async function main(): Promise<void> {
  const { values } = parse(process.argv.slice(2), {
    requests: { type: 'string', default: '4000' },
    concurrency: { type: 'string', default: '100' },
    out: { type: 'string', default: '' },
    retained: { type: 'boolean', default: false },
  });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const session = await startSession({ logLevel: 'ERROR', delivery: false });
  const { handler } = (await import('#functions/api/handler')) as { handler: LambdaHandler };
  const server = await startApiServer({ handler, port: 0 });
  const inspector = new Session();
  inspector.connect();
  try {
    await session.seedEvents();
    let started = false;
    await runLoadGenerator({
      url: server.url,
      eventId: DEMO_US_EVENT,
      requests,
      concurrency,
      warmupRequests: 5000,
      onPhase: (phase) => {
        if (phase === 'measure') {
          started = true;
          void inspector.post('HeapProfiler.startSampling', {
            samplingInterval: 4096,
            includeObjectsCollectedByMajorGC: !values.retained,
            includeObjectsCollectedByMinorGC: !values.retained,
          });
        }
      },
    });
    if (!started) throw new Error('the generator never started its measured phase');
    // What is left after a full collection: what the measured requests kept alive.
    if (values.retained) await inspector.post('HeapProfiler.collectGarbage');
    const { profile } = (await inspector.post('HeapProfiler.stopSampling')) as unknown as {
      profile: { head: ProfileNode };
    };
    if (values.out) writeFileSync(String(values.out), JSON.stringify(profile));
    const byFunction = new Map<string, number>();
    const byPackage = new Map<string, number>();
    let total = 0;
    const visit = (node: ProfileNode, stack: string[]) => {
      const { functionName, url, lineNumber } = node.callFrame;
      const pkg = packageOf(url);
      const here = [...stack, pkg];
      if (node.selfSize > 0) {
        total += node.selfSize;
        const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(process.cwd(), '')}:${lineNumber + 1}`;
        byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
        byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + node.selfSize);
      }
      for (const child of node.children) visit(child, here);
    };
    visit(profile.head, []);
    process.stdout.write(
      `${requests} requests: ${(total / 1024 / 1024).toFixed(1)} MB sampled, ${(total / requests / 1024).toFixed(1)} KB per request\n\n` +
        `by package:\n${top(byPackage, total, 20).join('\n')}\n\nby function:\n${top(byFunction, total, 50).join('\n')}\n`,
    );
  } finally {
    inspector.disconnect();
    await server.stop();
    await session.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
