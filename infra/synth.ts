/**
 * `npm run --silent synth [-- --stack NAME]`: prints the resources of a stack as JSON (an array of
 * {type, name, inputs}, secrets masked), computed under mocks from `Pulumi.<stack>.yaml`. No Pulumi CLI,
 * no login, no AWS calls. `--bundle` also bundles the functions with esbuild, as `pulumi up` does.
 */
import * as path from 'node:path';
import { readStackConfig, secretWarnings, synthesize } from './synthesize';

export function parseSynthArgs(argv: readonly string[]): { stack: string; bundle: boolean } {
  let stack = 'dev';
  let bundle = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--stack' || arg === '-s') {
      const value = argv[i + 1];
      if (!value || value.startsWith('-')) throw new Error('--stack needs a stack name');
      stack = value;
      i++;
    } else if (arg?.startsWith('--stack=')) {
      stack = arg.slice('--stack='.length);
    } else if (arg === '--bundle') {
      bundle = true;
    } else {
      throw new Error(`Unknown argument ${arg}; usage: synth [--stack NAME] [--bundle]`);
    }
  }
  return { stack, bundle };
}

async function main(): Promise<void> {
  const { stack, bundle } = parseSynthArgs(process.argv.slice(2));
  const rootDir = path.resolve(__dirname, '..');
  const { config, secretKeys } = readStackConfig(rootDir, stack);
  for (const warning of secretWarnings(config, secretKeys, stack))
    process.stderr.write(`synth: warning: ${warning}\n`);
  const resources = await synthesize({ config, secretKeys, stack, rootDir, bundle });
  process.stdout.write(`${JSON.stringify(resources, null, 2)}\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`synth: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
