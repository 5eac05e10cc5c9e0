import { readFile, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { projectFile } from '../platform/project-file.js';
import { printApiSchema } from './schema.js';

/** `schema.graphql` at the repository root. */
export const SCHEMA_FILE = projectFile('schema.graphql');

/**
 * Writes the printed schema to `schema.graphql`, or with `check` only compares and reports
 * whether the committed file is stale.
 *
 * @returns true when the file is (now) up to date.
 */
export async function syncSchemaFile(options: { check: boolean; file?: string }): Promise<boolean> {
  const file = options.file ?? SCHEMA_FILE;
  const printed = printApiSchema();
  const current = await readFile(file, 'utf8').catch(() => '');
  if (current === printed) return true;
  if (options.check) return false;
  await writeFile(file, printed);
  return true;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const check = process.argv.includes('--check');
  syncSchemaFile({ check }).then(
    (upToDate) => {
      if (check && !upToDate) {
        process.stderr.write(`${SCHEMA_FILE} is stale: run \`npm run schema:print\` and commit it\n`);
        process.exitCode = 1;
      } else {
        process.stdout.write(`${SCHEMA_FILE} is up to date\n`);
      }
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
