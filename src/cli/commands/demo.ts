import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DIMENSIONS, type Dimension } from '../../engine/compare/drs-parameters.js';
import { GRAPHQL_PATH } from '../../graphql/endpoint.js';
import { ADMIN_KEY_FILE } from '../../server/admin-key.js';
import { CONFIG_DEFAULTS } from '../../platform/config.js';
import { projectFile } from '../../platform/project-file.js';
import { ApiClientError, createApiClient, type ApiClient } from '../api-client.js';
import { numberOption, parseArgs } from '../args.js';
import { UsageError, type Command } from '../command.js';
import { printable } from '../render/printable.js';
import { bar, BAR_WIDTH, DIMENSION_NOTES, wrap } from '../render/report-text.js';

const DEFAULT_URL = 'http://localhost:4000';
const DEFAULT_TIMEOUT_SECONDS = 300;
/** The demo files were extracted at the end of 2010 (see fixtures/README.md). */
const EXTRACTED_AT = '2010-12-31T00:00:00Z';
const TOP_FINDINGS = 5;
const POLL_MS = 500;

const HELP = `Usage: realitycheck demo [options]

Shows realitycheck end to end against a running API (\`npm start\` in another terminal): creates
a workflow with its owner and a dataset, uploads the demo pair fixtures/demo/pilot.csv (PILOT)
and fixtures/demo/production.csv (PRODUCTION), both extracted ${EXTRACTED_AT}, waits
until both are profiled and the report is computed, then prints the data-reality score, its
dimensions, the most severe findings, the GraphiQL address and the ids it created. Every run
creates a new workflow.

Options:
  --url <url>         The API (default ${DEFAULT_URL}).
  --key <key>         An admin API key. Default: REALITYCHECK_ADMIN_KEY, else the key that
                      \`realitycheck start\` saved in $REALITYCHECK_DATA_DIR/admin-key
                      (default ${CONFIG_DEFAULTS.dataDir}/${ADMIN_KEY_FILE}).
  --timeout <s>       Seconds to wait for profiling and the report (default ${DEFAULT_TIMEOUT_SECONDS}).
  -h, --help          Show this help.

Exit codes: 0 done; 1 the API is not running, refused the key, a sample failed or the report
did not come in time (the reason is printed); 2 wrong usage.`;

/** A failure of the demo, explained for a person. */
class DemoError extends Error {
  override readonly name = 'DemoError';
}

interface SampleState {
  status: string;
  progress: number;
  rows: number | null;
  error: string | null;
}

interface ReportView {
  id: string;
  score: number | null;
  confidence: string | null;
  drsVersion: string | null;
  dimensions: Record<Dimension, number | null>;
  blockers: Array<{ code: string; message: string }>;
  findingCounts: { critical: number; warning: number; info: number };
}

interface FindingView {
  severity: string;
  code: string;
  dimension: string | null;
  column: string | null;
  message: string;
}

/** The admin key: --key, else REALITYCHECK_ADMIN_KEY, else the file `realitycheck start` saved. */
async function resolveKey(option: string | undefined): Promise<string> {
  if (option) return option;
  const fromEnv = process.env.REALITYCHECK_ADMIN_KEY;
  if (fromEnv) return fromEnv;
  const file = path.resolve(process.env.REALITYCHECK_DATA_DIR || CONFIG_DEFAULTS.dataDir, ADMIN_KEY_FILE);
  try {
    const key = (await readFile(file, 'utf8')).trim();
    if (key !== '') return key;
  } catch {
    // Explained below.
  }
  throw new DemoError(
    `no admin key: none in ${file}, no REALITYCHECK_ADMIN_KEY and no --key. Run the demo from the directory where ` +
      '`realitycheck start` runs (it saves the key there), or pass --key.',
  );
}

/** Checks that the API answers and takes the key as an admin key. */
async function checkAccess(api: ApiClient): Promise<void> {
  try {
    const { viewer } = await api.request<{ viewer: { admin: boolean } }>('{ viewer { admin } }');
    if (!viewer.admin) throw new DemoError(`the key is not an admin key: the demo creates a workflow, which needs one (pass --key)`);
  } catch (error) {
    if (error instanceof ApiClientError && error.code === 'UNREACHABLE') {
      throw new DemoError(`${error.message}: start it with \`npm start\` (or \`realitycheck start\`), or pass --url`);
    }
    if (error instanceof ApiClientError && error.code === 'UNAUTHENTICATED') {
      throw new DemoError(`the API at ${api.url} refused the key: ${error.message}. Pass the admin key \`realitycheck start\` printed (--key)`);
    }
    throw error;
  }
}

async function createWorkflowAndDataset(api: ApiClient): Promise<{ workflowId: string; datasetId: string; name: string }> {
  const name = `Film recommendations (demo ${new Date().toISOString().slice(0, 16).replace('T', ' ')})`;
  const { createWorkflow } = await api.request<{ createWorkflow: { workflow: { id: string } } }>(
    `mutation($name: String!) {
      createWorkflow(input: { name: $name, description: "Created by realitycheck demo", owner: { name: "Data team", contact: "data@example.com" } }) { workflow { id } }
    }`,
    { name },
  );
  const workflowId = createWorkflow.workflow.id;
  const { createDataset } = await api.request<{ createDataset: { dataset: { id: string } } }>(
    `mutation($w: ID!) { createDataset(input: { workflowId: $w, name: "movies" }) { dataset { id } } }`,
    { w: workflowId },
  );
  return { workflowId, datasetId: createDataset.dataset.id, name };
}

async function uploadSample(api: ApiClient, datasetId: string, role: 'PILOT' | 'PRODUCTION', file: string): Promise<string> {
  const bytes = await readFile(file).catch((error: Error) => {
    throw new DemoError(`cannot read the demo file ${file}: ${error.message}`);
  });
  const { createUpload } = await api.request<{ createUpload: { sample: { id: string }; uploadUrl: string } }>(
    `mutation($d: ID!, $role: SampleRole!, $f: String!, $at: DateTime!) {
      createUpload(input: { datasetId: $d, role: $role, filename: $f, extractedAt: $at, source: "realitycheck demo" }) { sample { id } uploadUrl }
    }`,
    { d: datasetId, role, f: path.basename(file), at: EXTRACTED_AT },
  );
  await api.upload(createUpload.uploadUrl, new Uint8Array(bytes));
  return createUpload.sample.id;
}

function describeSample(name: string, s: SampleState): string {
  const rows = s.rows === null ? '' : `, ${s.rows.toLocaleString('en-US')} rows`;
  const progress = s.status === 'PROFILING' ? ` ${Math.round(s.progress * 100)}%` : '';
  return `${name} ${s.status}${progress}${rows}`;
}

/** Polls until both samples are PROFILED and the dataset has a report; prints each change. */
async function waitForReport(
  api: ApiClient,
  ids: { datasetId: string; pilotId: string; productionId: string },
  timeoutMs: number,
  print: (line: string) => void,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const said = new Map<string, string>();
  let last = '';
  for (;;) {
    const data = await api.request<{ pilot: SampleState; production: SampleState; dataset: { latestReport: { id: string } | null } }>(
      `query($p: ID!, $q: ID!, $d: ID!) {
        pilot: sample(id: $p) { status progress rows error }
        production: sample(id: $q) { status progress rows error }
        dataset(id: $d) { latestReport { id } }
      }`,
      { p: ids.pilotId, q: ids.productionId, d: ids.datasetId },
    );
    const samples: Array<[string, SampleState]> = [
      ['pilot.csv', data.pilot],
      ['production.csv', data.production],
    ];
    for (const [name, state] of samples) {
      if (state.status === 'FAILED') throw new DemoError(`${name} failed: ${state.error ?? 'no reason given'}`);
      const line = describeSample(name.padEnd(15), state);
      // One line per state, and per tenth of profiling progress.
      const key = `${state.status}:${state.status === 'PROFILING' ? Math.floor(state.progress * 10) : ''}`;
      if (said.get(name) !== key) {
        said.set(name, key);
        print(`  ${line}`);
      }
    }
    last = samples.map(([name, state]) => describeSample(name, state)).join(', ');
    const profiled = samples.every(([, state]) => state.status === 'PROFILED');
    if (profiled && data.dataset.latestReport) {
      print('  the report is ready');
      return data.dataset.latestReport.id;
    }
    if (profiled && !said.has('report')) {
      said.set('report', 'computing');
      print('  both profiled; computing the report');
    }
    if (Date.now() >= deadline) {
      throw new DemoError(
        `no report after ${Math.round(timeoutMs / 1000)} s (${last}${profiled ? ', report not computed yet' : ''}). Are workers running? ` +
          '`realitycheck start` runs them in its process; with `realitycheck api`, start `realitycheck worker`. Or wait longer (--timeout).',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

async function readResults(api: ApiClient, reportId: string, datasetId: string): Promise<{ report: ReportView; findings: FindingView[] }> {
  const data = await api.request<{ report: ReportView; dataset: { findings: { edges: Array<{ node: FindingView }> } } }>(
    `query($r: ID!, $d: ID!, $n: Int!) {
      report: realityReport(id: $r) {
        id score confidence drsVersion
        dimensions { completeness format freshness schema distribution }
        blockers { code message }
        findingCounts { critical warning info }
      }
      dataset(id: $d) { findings(first: $n) { edges { node { severity code dimension column message } } } }
    }`,
    { r: reportId, d: datasetId, n: TOP_FINDINGS },
  );
  return { report: data.report, findings: data.dataset.findings.edges.map((e) => e.node) };
}

function renderResults(report: ReportView, findings: readonly FindingView[]): string[] {
  const out: string[] = [''];
  const version = report.drsVersion ? `   [${report.drsVersion}]` : '';
  const confidence = report.confidence ? `, confidence ${report.confidence}` : '';
  out.push(
    report.score === null
      ? `Data-reality score  —  not assessable (too few rows on a side)${version}`
      : `Data-reality score  ${report.score.toFixed(1)} / 100${confidence}${version}`,
  );
  out.push('');
  for (const d of DIMENSIONS) {
    const v = report.dimensions[d];
    const label = d.padEnd(13);
    out.push(v === null ? `  ${label} ${'·'.repeat(BAR_WIDTH)}   —  not assessed: ${DIMENSION_NOTES[d]}` : `  ${label} ${bar(v)} ${v.toFixed(0).padStart(4)}`);
  }
  if (report.blockers.length > 0) {
    out.push('', 'Blockers');
    for (const b of report.blockers) out.push(`  ✖ ${b.code}: ${wrap(b.message, 90, '    ')}`);
  }
  const c = report.findingCounts;
  const shown = findings.length < c.critical + c.warning + c.info ? `; the ${findings.length} most severe:` : ':';
  out.push('', `Findings (${c.critical} critical, ${c.warning} warning, ${c.info} info)${shown}`);
  if (findings.length === 0) out.push('  none');
  for (const f of findings) {
    const where = [f.dimension, f.column].filter((part) => part !== null).join(' · ');
    out.push(`  ${f.severity.toUpperCase().padEnd(8)} ${f.code}${where ? ` · ${where}` : ''}`);
    out.push(`           ${wrap(f.message, 86, '           ')}`);
  }
  return out;
}

async function runDemo(options: { url: string; key: string; timeoutMs: number }, print: (line: string) => void): Promise<void> {
  const api = createApiClient(options.url, options.key);
  await checkAccess(api);
  print(`realitycheck demo against ${api.url}`);
  const { workflowId, datasetId, name } = await createWorkflowAndDataset(api);
  print(`  created workflow "${name}" and its dataset "movies"`);
  const pilotId = await uploadSample(api, datasetId, 'PILOT', projectFile('fixtures', 'demo', 'pilot.csv'));
  print('  uploaded fixtures/demo/pilot.csv as PILOT');
  const productionId = await uploadSample(api, datasetId, 'PRODUCTION', projectFile('fixtures', 'demo', 'production.csv'));
  print('  uploaded fixtures/demo/production.csv as PRODUCTION');
  print(`Waiting for profiling and the report (at most ${Math.round(options.timeoutMs / 1000)} s)`);
  const reportId = await waitForReport(api, { datasetId, pilotId, productionId }, options.timeoutMs, print);
  const { report, findings } = await readResults(api, reportId, datasetId);
  for (const line of renderResults(report, findings)) print(line);
  print('');
  print(`GraphiQL  ${api.url}${GRAPHQL_PATH}`);
  print('Ids');
  for (const [label, id] of [
    ['workflow', workflowId],
    ['dataset', datasetId],
    ['pilot sample', pilotId],
    ['production sample', productionId],
    ['report', reportId],
  ]) {
    print(`  ${label.padEnd(18)} ${id}`);
  }
}

/** `realitycheck demo`: the demo pair through a running API, from upload to score and findings. */
export const demoCommand: Command = {
  summary: 'Run the demo files through a running API and print the score and findings',
  help: HELP,
  async run(argv) {
    const args = parseArgs(argv, ['url', 'key', 'timeout'], []);
    if (args.positional.length > 0) throw new UsageError(`unexpected argument '${args.positional[0]}'`);
    const url = args.options.get('url');
    const key = args.options.get('key');
    const timeoutSeconds = numberOption(args, 'timeout', 1, 24 * 60 * 60) ?? DEFAULT_TIMEOUT_SECONDS;
    if (typeof url === 'string' && !/^https?:\/\/[^/]/.test(url)) throw new UsageError(`--url '${url}' is not an http(s) URL`);
    // Names, messages and values come from the files and the API: no control character reaches the terminal raw.
    const print = (line: string) => process.stdout.write(printable(line) + '\n');
    try {
      await runDemo({ url: typeof url === 'string' ? url : DEFAULT_URL, key: await resolveKey(typeof key === 'string' ? key : undefined), timeoutMs: timeoutSeconds * 1000 }, print);
      return 0;
    } catch (error) {
      if (error instanceof DemoError || error instanceof ApiClientError) {
        process.stderr.write(`realitycheck demo: ${printable(error.message)}\n`);
        return 1;
      }
      throw error;
    }
  },
};
