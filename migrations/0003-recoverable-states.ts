import { sql, type Kysely } from 'kysely';

/**
 * Recoverable states.
 *
 * - `datasets.report_error_*`: why the dataset's report could not be computed the last time it
 *   was tried (code, message for a person, the sample concerned, when), cleared when a report is
 *   computed again. `datasets.report_requested_at`: when a change to the dataset's samples
 *   (deactivated, reactivated, deleted) asked for a new report; a report older than it does not
 *   describe the dataset any more, and the reconciler re-queues the report job while none is newer.
 * - `api_processes`: one row per running API process, whose `heartbeat_at` it renews every few
 *   seconds (a lease); `samples.receiver_id` names the process receiving an upload, so that an
 *   upload whose process died is failed as soon as the lease lapses, while uploads that another
 *   live process is still receiving are left alone.
 * - `samples.expected_bytes`: the size the client announced for its upload (Content-Length, or
 *   the multipart file's size), which `progress` is estimated from while the upload still arrives.
 *
 * Frozen: later changes go in new migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE api_processes (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      host text NOT NULL,
      pid integer NOT NULL,
      started_at timestamptz NOT NULL DEFAULT now(),
      heartbeat_at timestamptz NOT NULL DEFAULT now()
    );

    ALTER TABLE samples
      ADD COLUMN receiver_id uuid REFERENCES api_processes (id) ON DELETE SET NULL,
      ADD COLUMN expected_bytes bigint;

    ALTER TABLE datasets
      ADD COLUMN report_error_code text,
      ADD COLUMN report_error_message text,
      ADD COLUMN report_error_sample_id uuid REFERENCES samples (id) ON DELETE SET NULL,
      ADD COLUMN report_error_at timestamptz,
      ADD COLUMN report_requested_at timestamptz;
    CREATE INDEX datasets_report_requested_idx ON datasets (report_requested_at) WHERE report_requested_at IS NOT NULL;
  `.execute(db);
}

/** Drops everything {@link up} added. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX IF EXISTS datasets_report_requested_idx;
    ALTER TABLE datasets
      DROP COLUMN report_requested_at,
      DROP COLUMN report_error_at,
      DROP COLUMN report_error_sample_id,
      DROP COLUMN report_error_message,
      DROP COLUMN report_error_code;
    ALTER TABLE samples DROP COLUMN expected_bytes, DROP COLUMN receiver_id;
    DROP TABLE api_processes;
  `.execute(db);
}
