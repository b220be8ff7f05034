import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkImports, SOURCE_ROOTS, sourceFiles, uncheckedFiles } from '#cli/check-imports';

/** A throwaway repository with the real alias layout and the given files. */
function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'check-imports-'));
  const imports = Object.fromEntries(SOURCE_ROOTS.map((root) => [`#${root}/*`, `./${root}/*.ts`]));
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'fixture', imports }));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('checkImports', () => {
  const dirs: string[] = [];
  const check = (files: Record<string, string>) => {
    const dir = repository(files);
    dirs.push(dir);
    return checkImports(dir, sourceFiles(dir));
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('passes a tree whose imports go one way, through aliases across roots', () => {
    expect(
      check({
        'shared/domain/model.ts': 'export const A = 1;\n',
        'functions/a/handler.ts': "import { A } from '#shared/domain/model';\nexport const B = A;\n",
        'local/session.ts':
          "import { B } from '#functions/a/handler';\nimport { A } from '#shared/domain/model';\n",
        'local/stack/stack.ts': "import { B } from '../session';\nexport const C = B;\n",
      }),
    ).toEqual([]);
  });

  it('names every file of a cycle, dynamic and type-only imports included', () => {
    const problems = check({
      'local/session.ts': "export async function f() { return import('./delivery'); }\n",
      'local/delivery.ts': "import type { X } from './stack/stack';\nexport type Y = X;\n",
      'local/stack/stack.ts': "import { f } from '#local/session';\nexport type X = typeof f;\n",
    });
    expect(problems).toEqual([
      {
        file: 'local/delivery.ts',
        message:
          'import cycle: local/delivery.ts -> local/stack/stack.ts -> local/session.ts -> local/delivery.ts',
      },
    ]);
  });

  it('fails shared/ or functions/ importing tooling, naming the import', () => {
    const problems = check({
      'local/seed.ts': 'export const seed = 1;\n',
      'infra/catalog.ts': 'export const FUNCTIONS = [];\n',
      'shared/window/plan.ts': "import { seed } from '#local/seed';\nexport const p = seed;\n",
      'functions/a/handler.ts':
        "import type { FUNCTIONS } from '#infra/catalog';\nexport type F = typeof FUNCTIONS;\n",
    });
    expect(problems.map((problem) => problem.file)).toEqual([
      'functions/a/handler.ts',
      'shared/window/plan.ts',
    ]);
    expect(problems[1]?.message).toMatch(
      /^imports local\/seed\.ts \('#local\/seed'\): shared\/ ships in the Lambdas and may not import tooling/,
    );
  });

  it('fails a relative import across roots and names the alias to use', () => {
    const problems = check({
      'shared/domain/model.ts': 'export const A = 1;\n',
      'cli/start.ts': "import { A } from '../shared/domain/model';\nexport const B = A;\n",
    });
    expect(problems).toEqual([
      {
        file: 'cli/start.ts',
        message:
          "imports shared/domain/model.ts through the relative path '../shared/domain/model': across roots use '#shared/domain/model'",
      },
    ]);
  });
});

describe('uncheckedFiles', () => {
  it('names the source files a tsconfig.json include leaves out', () => {
    const dir = repository({
      'tsconfig.json': JSON.stringify({ include: ['shared'] }),
      'shared/a.ts': 'export const A = 1;\n',
      'chaos/main.ts': 'export const B = 2;\n',
    });
    try {
      expect(uncheckedFiles(dir)).toEqual([
        {
          file: 'chaos/main.ts',
          message: 'not in the tsconfig.json program: the typecheck does not check it',
        },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
