/**
 * The import rules of the repository, checked by `npm test` (`npm run check:imports`):
 * - no import cycle (static, dynamic or type-only imports alike);
 * - shared/ and functions/ (what ships in the Lambdas) never import tooling: local/, infra/, cli/, bench/,
 *   chaos/, test/;
 * - an import into another root uses that root's alias (`#local/session`, not `../local/session`);
 * - every source file is in tsconfig.json's program, so `npm run typecheck` checks it.
 * Specifiers are resolved the way tsc resolves them (package.json `imports`, tsconfig options).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The source roots, each with its package.json alias `#<root>/*`. */
export const SOURCE_ROOTS = [
  'shared',
  'functions',
  'statemachines',
  'infra',
  'local',
  'cli',
  'bench',
  'chaos',
  'test',
] as const;
/** Roots that are deployed code and may not depend on tooling. */
export const DEPLOYED_ROOTS = ['shared', 'functions'];
/** Roots that only run on a developer's machine or in CI. */
export const TOOLING_ROOTS = ['local', 'infra', 'cli', 'bench', 'chaos', 'test'];

export interface ImportProblem {
  /** Path of the importing file, relative to the repository root. */
  file: string;
  message: string;
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  resolveJsonModule: true,
  allowJs: false,
};

/** Every .ts file (declarations excepted) under the source roots that exist in rootDir. */
export function sourceFiles(rootDir: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(path.relative(rootDir, full));
    }
  };
  for (const root of SOURCE_ROOTS) {
    if (existsSync(path.join(rootDir, root))) walk(path.join(rootDir, root));
  }
  return files.sort();
}

const rootOf = (file: string) => file.split(/[\\/]/)[0] ?? '';

/** The repository files a file imports (packages left out), with the specifier used for each. */
function importsOf(rootDir: string, file: string): Array<{ specifier: string; target: string }> {
  const absolute = path.join(rootDir, file);
  const text = ts.sys.readFile(absolute) ?? '';
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const found: Array<{ specifier: string; target: string }> = [];
  for (const { fileName: specifier } of importedFiles) {
    const resolved = ts.resolveModuleName(specifier, absolute, COMPILER_OPTIONS, ts.sys).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) continue;
    const target = path.relative(rootDir, resolved.resolvedFileName);
    if (target.startsWith('..') || target.split(path.sep).includes('node_modules')) continue;
    found.push({ specifier, target: target.split(path.sep).join('/') });
  }
  return found;
}

/** Strongly connected components of more than one file (or a file importing itself): the cycles. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) {
        low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
      }
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string | undefined;
      do {
        member = stack.pop();
        if (member === undefined) break;
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1 || graph.get(node)?.has(node)) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/** One path around a cycle, from its first file back to it (shortest, through the component only). */
function cyclePath(graph: Map<string, Set<string>>, component: string[]): string[] {
  const members = new Set(component);
  const start = component[0] ?? '';
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift() as string;
    for (const to of [...(graph.get(node) ?? [])].sort()) {
      if (!members.has(to)) continue;
      if (to === start) {
        const route = [start];
        for (let at: string | undefined = node; at !== undefined && at !== start; at = previous.get(at)) {
          route.splice(1, 0, at);
        }
        return [...route, start];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return component;
}

/** Every broken import rule among the given files (all source files by default). */
export function checkImports(rootDir: string, files = sourceFiles(rootDir)): ImportProblem[] {
  const problems: ImportProblem[] = [];
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = rootOf(file);
    const edges = new Set<string>();
    graph.set(file, edges);
    for (const { specifier, target } of importsOf(rootDir, file)) {
      edges.add(target);
      const to = rootOf(target);
      if (DEPLOYED_ROOTS.includes(from) && TOOLING_ROOTS.includes(to)) {
        problems.push({
          file,
          message: `imports ${target} ('${specifier}'): ${from}/ ships in the Lambdas and may not import tooling (${TOOLING_ROOTS.map((root) => `${root}/`).join(', ')})`,
        });
      }
      if (specifier.startsWith('.') && to !== from && (SOURCE_ROOTS as readonly string[]).includes(to)) {
        const alias = `#${target.replace(/\.ts$/, '')}`;
        problems.push({
          file,
          message: `imports ${target} through the relative path '${specifier}': across roots use '${alias}'`,
        });
      }
    }
  }
  for (const component of cycles(graph)) {
    const route = cyclePath(graph, component);
    problems.push({ file: route[0] ?? '', message: `import cycle: ${route.join(' -> ')}` });
  }
  return problems;
}

/** Source files tsconfig.json leaves out of the program (`tsc -p tsconfig.json` would not check them). */
export function uncheckedFiles(rootDir: string, files = sourceFiles(rootDir)): ImportProblem[] {
  const configPath = path.join(rootDir, 'tsconfig.json');
  const { config } = ts.readConfigFile(configPath, ts.sys.readFile);
  const program = new Set(
    ts.parseJsonConfigFileContent(config ?? {}, ts.sys, rootDir).fileNames.map((file) => path.resolve(file)),
  );
  return files
    .filter((file) => !program.has(path.resolve(rootDir, file)))
    .map((file) => ({ file, message: 'not in the tsconfig.json program: the typecheck does not check it' }));
}

if (require.main === module) {
  const rootDir = path.resolve(__dirname, '..');
  const files = sourceFiles(rootDir);
  const problems = [...checkImports(rootDir, files), ...uncheckedFiles(rootDir, files)];
  for (const problem of problems) process.stderr.write(`${problem.file}: ${problem.message}\n`);
  if (problems.length > 0) {
    process.stderr.write(`check-imports: ${problems.length} problem(s) in ${files.length} files\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(
      `check-imports: ${files.length} files, no cycle, no forbidden import, all typechecked\n`,
    );
  }
}
