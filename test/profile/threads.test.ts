import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { profileFile } from '../../src/profiler/profile-file.js';
import { REAL_FIXTURES } from '../support/real-fixtures.js';

/**
 * The threaded path of the profiler (blocks transferred to worker threads, their buffers handed
 * back for reuse, states merged in block order) must give exactly the state of profiling the
 * same blocks on the calling thread. Worker threads load compiled JavaScript, so this runs the
 * built profiler (`npm test` compiles first), as the CLI test does.
 */
const BUILT = pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'src', 'profiler', 'profile-file.js')).href;
const REAL = join(REAL_FIXTURES, 'files');

function profileOnThreads(path: string, threads: number, blockBytes: number): { state: string; blocks: number } {
  const script = `
    const { profileFile } = await import(${JSON.stringify(BUILT)});
    const r = await profileFile(${JSON.stringify(path)}, { threads: ${threads}, blockBytes: ${blockBytes} });
    process.stdout.write(JSON.stringify({ state: JSON.stringify(r.state.toJSON()), blocks: r.blocks }));
  `;
  // A script file, not --eval: worker threads inherit the process's flags, and --input-type
  // would stop them from loading their module.
  const file = join(mkdtempSync(join(tmpdir(), 'rc-threads-')), 'profile.mjs');
  writeFileSync(file, script);
  const child = spawnSync(process.execPath, [file], { encoding: 'utf8', maxBuffer: 256 << 20 });
  if (child.status !== 0) throw new Error(`threaded profile failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { state: string; blocks: number };
}

describe('profiling on worker threads', () => {
  it.each([
    ['birdstrikes.csv', 2],
    ['movies.csv', 3],
    ['russell_index_cp1252.csv', 2],
  ])('gives %s the same state as one thread, on %i threads', async (file, threads) => {
    const path = join(REAL, file);
    // Many blocks, so that threads finish out of order and buffers are handed back and reused.
    const blockBytes = Math.max(256, Math.floor(statSync(path).size / 24));
    const threaded = profileOnThreads(path, threads, blockBytes);
    const local = await profileFile(path, { threads: 0, blockBytes });
    expect(threaded.blocks).toBe(local.blocks);
    expect(threaded.blocks).toBeGreaterThan(threads);
    expect(threaded.state).toBe(JSON.stringify(local.state.toJSON()));
  });
});

describe('a profiling thread', () => {
  it("hands a block's buffer back in a message of its own once the block is decoded, then sends the state", () => {
    const thread = pathToFileURL(join(import.meta.dirname, '..', '..', 'dist', 'src', 'profiler', 'profile-thread.js')).href;
    const script = `
      const { Worker } = await import('node:worker_threads');
      const worker = new Worker(new URL(${JSON.stringify(thread)}));
      const bytes = new TextEncoder().encode('1,2\\n3,4\\n');
      const dialect = { encoding: 'utf-8', bom: false, delimiter: ',', newline: '\\n', quoteChar: '"', header: ['a', 'b'], rawHeader: ['a', 'b'], headerIssues: { duplicateNames: [], emptyNames: 0, renamed: [] } };
      const messages = [];
      worker.on('message', (m) => {
        messages.push(m.kind === 'buffer' ? { kind: m.kind, id: m.id, bytes: m.spare.byteLength } : { kind: m.kind, id: m.id, ok: m.ok, rows: m.state.rows });
        if (m.kind === 'result') {
          worker.terminate();
          process.stdout.write(JSON.stringify(messages));
        }
      });
      worker.postMessage({ id: 7, bytes, dialect, blockIndex: 0, byteOffset: 0 }, [bytes.buffer]);
    `;
    const file = join(mkdtempSync(join(tmpdir(), 'rc-thread-')), 'thread.mjs');
    writeFileSync(file, script);
    const child = spawnSync(process.execPath, [file], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(JSON.parse(child.stdout)).toEqual([
      { kind: 'buffer', id: 7, bytes: 8 },
      { kind: 'result', id: 7, ok: true, rows: 2 },
    ]);
  });
});
