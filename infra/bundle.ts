/**
 * One esbuild bundle per function, built while the program runs (`pulumi up` bundles what it deploys).
 * The AWS SDK is bundled too rather than taken from the runtime: the versions deployed are the versions
 * pinned in package-lock.json and tested, whatever the runtime ships that day.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { BundleError } from './errors';

export interface BundleOptions {
  /** Repository root (holds package.json and functions/). */
  rootDir: string;
  /** Output root; each function goes to `<outDir>/<name>/index.mjs`. */
  outDir?: string;
}

/** Entry file of a function. */
export function entryPoint(rootDir: string, name: string): string {
  return path.join(rootDir, 'functions', name, 'handler.ts');
}

/** Bundles `functions/<name>/handler.ts` into `.build/<name>/index.mjs` (+ source map); returns the folder. */
export async function bundleFunction(name: string, options: BundleOptions): Promise<string> {
  const entry = entryPoint(options.rootDir, name);
  if (!existsSync(entry)) throw new BundleError(name, new Error(`missing entry file ${entry}`));
  const outDir = path.join(options.outDir ?? path.join(options.rootDir, '.build'), name);
  try {
    const esbuild = await import('esbuild');
    await esbuild.build({
      entryPoints: [entry],
      outfile: path.join(outDir, 'index.mjs'),
      absWorkingDir: options.rootDir,
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      mainFields: ['module', 'main'],
      minify: true,
      sourcemap: true,
      sourcesContent: false,
      legalComments: 'none',
      logLevel: 'warning',
      // CommonJS dependencies inside an ESM bundle still call require().
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
  } catch (error: unknown) {
    throw new BundleError(name, error);
  }
  return outDir;
}
