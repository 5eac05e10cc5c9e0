import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../api/fixtures.js';
import { startPipeline, type Pipeline } from '../workers/support/pipeline-harness.js';
import { spawnCli } from '../workers/support/worker-process.js';

// `realitycheck demo` as a user runs it: the compiled CLI against a real API whose workers run
// in this process.

let pipeline: Pipeline;
let dataDir: string;

beforeAll(async () => {
  pipeline = await startPipeline('postgres', { blockBytes: 256 * 1024 });
  dataDir = await mkdtemp(path.join(tmpdir(), 'rc-demo-'));
});
afterAll(async () => {
  await pipeline?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function demo(args: string[], env: Record<string, string> = {}) {
  const child = spawnCli('demo', { REALITYCHECK_ADMIN_KEY: '', REALITYCHECK_DATA_DIR: dataDir, ...env }, args);
  const { code } = await child.exited;
  return { code, output: child.output() };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('realitycheck demo', () => {
  it('uploads the demo pair, waits for the report and prints the score, the dimensions, the most severe findings and the ids', async () => {
    const { code, output } = await demo(['--url', pipeline.api.url, '--key', pipeline.api.adminKey, '--timeout', '150']);
    expect(code, output).toBe(0);

    const score = /Data-reality score {2}(\d+\.\d) \/ 100/.exec(output);
    expect(score, output).not.toBeNull();
    for (const dimension of ['completeness', 'format', 'freshness', 'schema', 'distribution']) {
      expect(output).toMatch(new RegExp(`^  ${dimension} +\\S`, 'm'));
    }
    const counts = /Findings \((\d+) critical, (\d+) warning, (\d+) info\)/.exec(output);
    expect(counts, output).not.toBeNull();
    const [critical, warning, info] = counts!.slice(1).map(Number);
    expect(critical + warning + info).toBeGreaterThan(0);
    // Shown most severe first: every CRITICAL line before every WARNING, every WARNING before INFO.
    const shown = [...output.matchAll(/^ {2}(CRITICAL|WARNING|INFO) +[A-Z_]+/gm)].map((m) => m[1]);
    expect(shown.length).toBe(Math.min(5, critical + warning + info));
    const rank = { CRITICAL: 0, WARNING: 1, INFO: 2 } as Record<string, number>;
    expect(shown.map((s) => rank[s])).toEqual(shown.map((s) => rank[s]).sort((a, b) => a - b));
    if (critical > 0) expect(shown[0]).toBe('CRITICAL');
    expect(output).toContain(`GraphiQL  ${pipeline.api.url}/graphql`);

    // The ids it printed are the objects it created, and the score is the stored report's.
    const id = (label: string) => new RegExp(`^ {2}${label} +(\\S+)$`, 'm').exec(output)?.[1];
    const data = ok(
      await pipeline.api.gql<any>(
        `query($w: ID!, $d: ID!, $r: ID!) {
          workflow(id: $w) { name owner { name } }
          dataset(id: $d) { name latestReport { id score productionSample { id filename } pilotSamples { id filename } } }
          realityReport(id: $r) { findingCounts { critical warning info } }
        }`,
        { w: id('workflow'), d: id('dataset'), r: id('report') },
      ),
    );
    expect(data.workflow.name).toMatch(/^Film recommendations \(demo/);
    expect(data.workflow.owner.name).toBe('Data team');
    expect(data.dataset.name).toBe('movies');
    expect(data.dataset.latestReport.id).toBe(id('report'));
    expect(data.dataset.latestReport.score.toFixed(1)).toBe(score![1]);
    expect(data.dataset.latestReport.productionSample).toEqual({ id: id('production sample'), filename: 'production.csv' });
    expect(data.dataset.latestReport.pilotSamples).toEqual([{ id: id('pilot sample'), filename: 'pilot.csv' }]);
    expect(data.realityReport.findingCounts).toEqual({ critical, warning, info });
  }, 180_000);

  it('says so when no API answers at the URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const { code, output } = await demo(['--url', url, '--key', pipeline.api.adminKey]);
    expect(code).toBe(1);
    expect(output).toContain(`realitycheck demo: no realitycheck API answers at ${url}`);
    expect(output).toMatch(/npm start/);
  });

  it('reads the key realitycheck start saved, and says so when the API refuses it', async () => {
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'admin-key'), 'rc_nosuchkey_0123456789abcdef0123456789\n', { mode: 0o600 });
    const { code, output } = await demo(['--url', pipeline.api.url]);
    expect(code).toBe(1);
    expect(output).toMatch(/realitycheck demo: the API at .* refused the key/);
  });

  it('says where it looked when there is no key at all', async () => {
    const { code, output } = await demo(['--url', pipeline.api.url], { REALITYCHECK_DATA_DIR: path.join(dataDir, 'empty') });
    expect(code).toBe(1);
    expect(output).toContain(`no admin key: none in ${path.join(dataDir, 'empty', 'admin-key')}`);
  });
});
