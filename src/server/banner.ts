import path from 'node:path';
import type { RunningApi } from './run-api.js';

/** The lines printed once the API is up: where GraphiQL is, which database, the admin key. */
export function formatBanner(running: RunningApi, publicUrl: string | undefined): string {
  const base = publicUrl ?? running.api.url.replace('127.0.0.1', 'localhost');
  const relative = (file: string) => {
    const rel = path.relative(process.cwd(), file);
    return rel.startsWith('..') ? file : `./${rel}`;
  };
  const lines = ['', 'realitycheck is up', `  GraphiQL    ${base}/graphql`, `  Health      ${base}/health   ${base}/ready`];
  lines.push(
    running.embedded
      ? `  Database    embedded Postgres on 127.0.0.1:${running.embedded.port} (data in ${relative(running.embedded.dataDir)})`
      : '  Database    DATABASE_URL',
  );
  lines.push(`  Profiling   ${running.workers ? 'workers running' : 'no worker backend: samples are stored, not profiled'}`);
  const key = running.adminKey;
  if (key.source === 'env') {
    lines.push('  Admin key   from REALITYCHECK_ADMIN_KEY');
  } else if (key.created) {
    lines.push(
      `  Admin key   ${key.secret}`,
      `              saved to ${relative(key.file!)} (mode 0600) and reused on the next start.`,
      '              Send it as "Authorization: Bearer <key>"; it is printed only this once.',
    );
  } else {
    lines.push(`  Admin key   in ${relative(key.file!)}`);
  }
  lines.push('');
  return lines.join('\n');
}
