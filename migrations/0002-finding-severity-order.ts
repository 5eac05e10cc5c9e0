import { sql, type Kysely } from 'kysely';

/**
 * Findings are listed most severe first, then newest first. `severity_level` ranks the severity
 * (critical 3, warning 2, info 1, anything else 0) so that the whole order — level, created_at,
 * id, all descending — is one row comparison that an index scanned backwards serves, for the
 * lists of a dataset and of a workflow. These indexes replace the (status, created_at, id) ones,
 * whose order no list uses any more. Frozen: later changes go in new migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE findings ADD COLUMN severity_level smallint NOT NULL GENERATED ALWAYS AS (
      CASE severity WHEN 'critical' THEN 3 WHEN 'warning' THEN 2 WHEN 'info' THEN 1 ELSE 0 END
    ) STORED;
    CREATE INDEX findings_dataset_order_idx ON findings (dataset_id, severity_level, created_at, id);
    CREATE INDEX findings_workflow_order_idx ON findings (workflow_id, severity_level, created_at, id);
    DROP INDEX findings_dataset_idx;
    DROP INDEX findings_workflow_idx;
  `.execute(db);
}

/** Restores the indexes of 0001 and drops the column. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX findings_workflow_idx ON findings (workflow_id, status, created_at, id);
    CREATE INDEX findings_dataset_idx ON findings (dataset_id, status, created_at, id);
    DROP INDEX findings_workflow_order_idx;
    DROP INDEX findings_dataset_order_idx;
    ALTER TABLE findings DROP COLUMN severity_level;
  `.execute(db);
}
