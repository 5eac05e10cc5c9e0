import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Processors that run on threads, by queue: files with a default export (see `JobThreads`). */
export type ThreadProcessorName = 'profile-block' | 'merge-profile' | 'compute-report';

/**
 * Path of the compiled processor file for a queue. Worker threads load plain JavaScript, so
 * this is the `.js` beside this module when it runs compiled (`dist/workers/`), and otherwise
 * (sources run by a TypeScript runner, as in tests) the build output `dist/workers/processors/`.
 *
 * @throws Error telling to build first when the compiled file does not exist.
 */
export function processorFile(name: ThreadProcessorName): string {
  const candidates = [new URL(`./processors/${name}.js`, import.meta.url), new URL(`../dist/workers/processors/${name}.js`, import.meta.url)];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(path)) return path;
  }
  throw new Error(
    `the compiled ${name} processor is missing (looked for ${candidates.map((c) => fileURLToPath(c)).join(' and ')}); run \`npm run build\` first`,
  );
}
