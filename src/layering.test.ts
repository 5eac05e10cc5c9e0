import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/*
 * Which folder may import which (docs/architecture.md). Reads the import statements, re-exports
 * and dynamic imports of every .ts file under src/ and workers/, and names each file and import
 * whose arrow points the wrong way. Imports of node and npm packages are not checked. Also checks
 * that queries (Kysely query builders, sql`…`) are built only in src/db, and that a sample's status
 * is set only in src/db/sample-lifecycle.ts.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One import of one file, resolved to a path relative to the repository root. */
interface Import {
  /** Importing file, e.g. `src/db/findings.ts`. */
  readonly file: string;
  /** The specifier as written. */
  readonly specifier: string;
  /** The imported file, e.g. `src/engine/compare/reality-report.js`. */
  readonly target: string;
  /** Only types are imported (`import type`, or every name marked `type`). */
  readonly typeOnly: boolean;
}

/** The area of a path: `src/<folder>` for files under src/, else the top folder (`workers`, `test`, `migrations`). */
function areaOf(file: string): string {
  const parts = file.split('/');
  return parts[0] === 'src' && parts.length > 2 ? `${parts[0]}/${parts[1]}` : parts[0];
}

const isTestFile = (file: string) => file.endsWith('.test.ts');

interface Rule {
  /** What the rule says, as printed with a violation. */
  readonly text: string;
  /** Whether the rule applies to the importing file. */
  readonly appliesTo: (file: string) => boolean;
  /** Whether the import is allowed. */
  readonly allows: (entry: Import) => boolean;
}

/** Test files may use the shared test helpers of test/support, whatever their folder. */
const testSupport = (entry: Import) => isTestFile(entry.file) && entry.target.startsWith('test/support/');

const RULES: readonly Rule[] = [
  {
    text: 'src/engine imports only src/engine (not src/csv either: the engine profiles parsed rows, not files)',
    appliesTo: (file) => areaOf(file) === 'src/engine',
    allows: (entry) => areaOf(entry.target) === 'src/engine' || testSupport(entry),
  },
  {
    text: 'src/engine/column imports nothing from src/engine/profile (both read the snapshot types and errors of src/engine/model)',
    appliesTo: (file) => file.startsWith('src/engine/column/'),
    allows: (entry) => !entry.target.startsWith('src/engine/profile/'),
  },
  {
    text: 'src/engine/model imports only src/engine/model, and types of src/engine/sketch (the sketches a snapshot holds)',
    appliesTo: (file) => file.startsWith('src/engine/model/'),
    allows: (entry) => entry.target.startsWith('src/engine/model/') || (entry.target.startsWith('src/engine/sketch/') && entry.typeOnly) || testSupport(entry),
  },
  {
    text: 'src/platform imports only src/platform',
    appliesTo: (file) => areaOf(file) === 'src/platform',
    allows: (entry) => areaOf(entry.target) === 'src/platform' || testSupport(entry),
  },
  {
    text: 'src/db imports only src/db, src/platform, the migrations, and types of src/engine',
    appliesTo: (file) => areaOf(file) === 'src/db',
    allows: (entry) => {
      const area = areaOf(entry.target);
      if (area === 'src/db' || area === 'src/platform' || area === 'migrations') return true;
      if (area === 'src/engine') return entry.typeOnly;
      return testSupport(entry);
    },
  },
  {
    text: 'src/queue (the BullMQ plumbing) imports only src/queue and src/platform: not src/pipeline, and no database',
    appliesTo: (file) => areaOf(file) === 'src/queue',
    allows: (entry) => ['src/queue', 'src/platform'].includes(areaOf(entry.target)) || testSupport(entry),
  },
  {
    text: 'src/pipeline imports src/pipeline, src/queue, src/db, src/engine, src/profiler, src/csv, src/platform and the src/ingest scheduler interface',
    appliesTo: (file) => areaOf(file) === 'src/pipeline',
    allows: (entry) =>
      ['src/pipeline', 'src/queue', 'src/db', 'src/engine', 'src/profiler', 'src/csv', 'src/platform'].includes(areaOf(entry.target)) ||
      entry.target === 'src/ingest/profiling-scheduler.js' ||
      testSupport(entry),
  },
  {
    text: 'only src/server itself and the CLI (src/cli) import src/server',
    appliesTo: (file) => file.startsWith('src/') && !['src/server', 'src/cli'].includes(areaOf(file)),
    allows: (entry) => areaOf(entry.target) !== 'src/server',
  },
  {
    text: 'nothing under src imports workers/',
    appliesTo: (file) => file.startsWith('src/'),
    allows: (entry) => areaOf(entry.target) !== 'workers',
  },
  {
    text: 'code under src and workers (other than tests) imports nothing from test/, eval/ or bench/',
    appliesTo: (file) => !isTestFile(file),
    allows: (entry) => !['test', 'eval', 'bench'].includes(areaOf(entry.target)),
  },
];

/**
 * Imports that break a rule and are known to: each says why. A listed import that no longer
 * occurs fails the test too, so that the list only shrinks.
 */
const KNOWN_EXCEPTIONS: ReadonlyArray<{ readonly file: string; readonly specifier: string; readonly why: string }> = [
  // The CLI is the process entry point: `realitycheck start`, `api` and `worker` start the workers
  // (or the queue-only backend) of workers/. They load them with a dynamic import, so that the
  // other commands never load BullMQ; moving the entry point out of src/ would change the
  // published `bin` path.
  { file: 'src/cli/commands/api.ts', specifier: '../../../workers/in-process-workers.js', why: 'CLI entry point starts the queue backend' },
  { file: 'src/cli/commands/start.ts', specifier: '../../../workers/in-process-workers.js', why: 'CLI entry point starts in-process workers' },
  { file: 'src/cli/commands/worker.ts', specifier: '../../../workers/run-worker-process.js', why: 'CLI entry point runs a worker process' },
];

function listTsFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) files.push(...listTsFiles(relative));
    else if (entry.name.endsWith('.ts')) files.push(relative);
  }
  return files;
}

/** The relative imports of a file: static imports, re-exports, dynamic `import()` and `import('…')` types. */
function importsOf(file: string): Import[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (!specifier.startsWith('.')) return;
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    found.push({ file, specifier, target, typeOnly });
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly || (!clause.name && named !== undefined && named.length > 0 && named.every((element) => element.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) add(argument.text, false);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      add(node.argument.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('import layering', () => {
  const files = [...listTsFiles('src'), ...listTsFiles('workers')];
  const imports = files.flatMap(importsOf);
  const isKnown = (entry: Import) => KNOWN_EXCEPTIONS.some((known) => known.file === entry.file && known.specifier === entry.specifier);

  it('reads the imports of every file', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(imports.some((entry) => entry.file === 'src/db/findings.ts' && entry.typeOnly && entry.target.startsWith('src/engine/'))).toBe(true);
    expect(imports.some((entry) => entry.file === 'src/cli/commands/start.ts' && entry.target.startsWith('workers/'))).toBe(true);
  });

  it('has no import that points the wrong way', () => {
    const violations: string[] = [];
    for (const entry of imports) {
      if (isKnown(entry)) continue;
      for (const rule of RULES) {
        if (rule.appliesTo(entry.file) && !rule.allows(entry)) violations.push(`${entry.file} imports '${entry.specifier}': ${rule.text}`);
      }
    }
    expect(violations).toEqual([]);
  });

  it('keeps every query in src/db', () => {
    const query = /\.(selectFrom|insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\(|\bsql(<[^>]*>)?`/;
    const outside = files
      .filter((file) => !file.startsWith('src/db/') && !isTestFile(file) && file !== 'src/layering.test.ts')
      .flatMap((file) =>
        readFileSync(path.join(ROOT, file), 'utf8')
          .split('\n')
          .flatMap((line, index) => (query.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
      );
    expect(outside).toEqual([]);
  });

  it("changes a sample's status only in src/db/sample-lifecycle.ts", () => {
    // A Kysely update of samples, up to its execute…(), whose set(…) names `status`; or a raw
    // `UPDATE samples … SET` whose assignments (up to WHERE) include `status =`.
    const builder = /\.updateTable\('samples'\)([\s\S]*?)\.execute/g;
    const raw = /UPDATE\s+samples\b[\s\S]*?\bSET\b([\s\S]*?)\bWHERE\b/g;
    const setsStatus = (file: string, text: string) => [
      ...[...text.matchAll(builder)].filter((match) => /\.set\(/.test(match[1]) && /\bstatus\s*:/.test(match[1])),
      ...[...text.matchAll(raw)].filter((match) => /(^|,)\s*status\s*=/m.test(match[1])),
    ].map((match) => `${file}:${text.slice(0, match.index).split('\n').length}`);
    const writers = files
      .filter((file) => !isTestFile(file))
      .flatMap((file) => setsStatus(file, readFileSync(path.join(ROOT, file), 'utf8')));
    expect(writers.length).toBeGreaterThan(0);
    expect(writers.filter((writer) => !writer.startsWith('src/db/sample-lifecycle.ts:'))).toEqual([]);
  });

  it('lists only exceptions that still occur and still break a rule', () => {
    const stale = KNOWN_EXCEPTIONS.filter((known) => {
      const entry = imports.find((candidate) => candidate.file === known.file && candidate.specifier === known.specifier);
      return !entry || RULES.every((rule) => !rule.appliesTo(entry.file) || rule.allows(entry));
    });
    expect(stale).toEqual([]);
  });
});
