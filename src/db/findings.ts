import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { Finding } from '../engine/compare/reality-report.js';
import type { Database, FindingRow, FindingStatus } from './database.js';
import { paginate, type KeysetPage, type Paged } from './pagination.js';

/** Findings with the given ids (any order; missing ids are absent). */
export async function findFindingsByIds(db: Kysely<Database>, ids: readonly string[]): Promise<FindingRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('findings').selectAll().where('id', 'in', ids).execute();
}

/**
 * Which findings {@link listFindings} returns: those of a workflow or a dataset, narrowed by each
 * list given (a finding passes when its value is one of the list; an empty list matches nothing).
 */
export interface FindingFilter {
  readonly workflowId?: string;
  readonly datasetId?: string;
  /** `critical`, `warning`, `info`. */
  readonly severities?: readonly string[];
  readonly dimensions?: readonly string[];
  readonly columns?: readonly string[];
  readonly statuses?: readonly FindingStatus[];
}

/**
 * One page of findings of a workflow or a dataset: most severe first (critical, warning, info),
 * then newest first, then by id, so that pages never skip or repeat one.
 */
export async function listFindings(db: Kysely<Database>, filter: FindingFilter, page: KeysetPage): Promise<Paged<FindingRow>[]> {
  let query = db.selectFrom('findings').selectAll('findings');
  if (filter.workflowId) query = query.where('findings.workflow_id', '=', filter.workflowId);
  if (filter.datasetId) query = query.where('findings.dataset_id', '=', filter.datasetId);
  const lists = [
    ['findings.severity', filter.severities],
    ['findings.dimension', filter.dimensions],
    ['findings.column_name', filter.columns],
    ['findings.status', filter.statuses],
  ] as const;
  for (const [column, values] of lists) {
    if (values === undefined) continue;
    if (values.length === 0) return [];
    query = query.where(column, 'in', values);
  }
  return paginate(query, 'findings', { ...page, newestFirst: true }, { lead: 'severity_level' }).execute();
}

/**
 * The one rule between a finding's status and `resolved_at`, for an update of `findings` that
 * writes the status `next` (a value, or an expression over the row): set to `now` when the finding
 * becomes RESOLVED, kept while it stays RESOLVED, cleared in any other status.
 */
function resolvedAtAfter(next: FindingStatus | Expression<FindingStatus>, now: Date): RawBuilder<Date | null> {
  return sql<Date | null>`CASE WHEN ${next} <> 'RESOLVED' THEN NULL WHEN findings.status = 'RESOLVED' THEN findings.resolved_at ELSE ${now} END`;
}

/**
 * Changes a finding's status and/or assignee. `resolved_at` follows the status (see
 * {@link resolvedAtAfter}). `assignee: null` unassigns.
 */
export async function updateFinding(
  db: Kysely<Database>,
  id: string,
  patch: { status?: FindingStatus; assignee?: string | null },
): Promise<FindingRow | undefined> {
  return db.transaction().execute(async (trx) => {
    const current = await trx.selectFrom('findings').select(['status']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!current) return undefined;
    const now = new Date();
    const set: { status?: FindingStatus; assignee?: string | null; resolved_at?: RawBuilder<Date | null>; updated_at: Date } = {
      updated_at: now,
    };
    if (patch.status !== undefined) {
      set.status = patch.status;
      set.resolved_at = resolvedAtAfter(patch.status, now);
    }
    if (patch.assignee !== undefined) set.assignee = patch.assignee;
    return trx.updateTable('findings').set(set).where('id', '=', id).returningAll().executeTakeFirst();
  });
}

/**
 * Upserts the findings of a new report by (dataset, fingerprint): a finding that persists keeps
 * its id, status and assignee and takes the new figures; a RESOLVED one that comes back is OPEN
 * again.
 */
export async function upsertReportFindings(
  db: Kysely<Database>,
  report: { workflowId: string; datasetId: string; reportId: string },
  findings: readonly Finding[],
  now: Date,
): Promise<void> {
  if (findings.length === 0) return;
  await db
    .insertInto('findings')
    .values(
      findings.map((f) => ({
        workflow_id: report.workflowId,
        dataset_id: report.datasetId,
        fingerprint: f.fingerprint,
        code: f.code,
        dimension: f.dimension,
        column_name: f.column,
        severity: f.severity,
        message: f.message,
        evidence: JSON.stringify(f.evidence),
        status: 'OPEN' as const,
        first_report_id: report.reportId,
        last_report_id: report.reportId,
        created_at: now,
        updated_at: now,
      })),
    )
    .onConflict((oc) => {
      // Persisting findings keep their triage state; a resolved problem that returns is open again.
      const status = sql<FindingStatus>`CASE WHEN findings.status = 'RESOLVED' THEN 'OPEN' ELSE findings.status END`;
      return oc.columns(['dataset_id', 'fingerprint']).doUpdateSet((eb) => ({
        code: eb.ref('excluded.code'),
        dimension: eb.ref('excluded.dimension'),
        column_name: eb.ref('excluded.column_name'),
        severity: eb.ref('excluded.severity'),
        message: eb.ref('excluded.message'),
        evidence: eb.ref('excluded.evidence'),
        last_report_id: eb.ref('excluded.last_report_id'),
        updated_at: now,
        status,
        resolved_at: resolvedAtAfter(status, now),
      }));
    })
    .execute();
}

/**
 * Marks RESOLVED the findings of the dataset that a new report no longer shows (those whose
 * fingerprint is not among `current`).
 *
 * @returns how many findings were resolved.
 */
export async function resolveVanishedFindings(db: Kysely<Database>, datasetId: string, current: readonly Finding[], now: Date): Promise<number> {
  let query = db
    .updateTable('findings')
    .set({ status: 'RESOLVED', resolved_at: resolvedAtAfter('RESOLVED', now), updated_at: now })
    .where('dataset_id', '=', datasetId)
    .where('status', '<>', 'RESOLVED');
  if (current.length > 0) query = query.where('fingerprint', 'not in', current.map((f) => f.fingerprint));
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
