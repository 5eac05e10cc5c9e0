import { sql, type Kysely } from 'kysely';

/**
 * The first schema: owners, workflows, datasets, samples with their raw blocks, profiles, reality
 * reports, findings, API keys, webhooks and deliveries. Frozen: later changes go in new migrations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE owners (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      contact text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX owners_created_idx ON owners (created_at, id);

    CREATE TABLE workflows (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      owner_id uuid NOT NULL REFERENCES owners (id),
      name text NOT NULL,
      description text,
      readiness_target integer NOT NULL DEFAULT 80 CHECK (readiness_target BETWEEN 0 AND 100),
      freshness_warn_after text NOT NULL DEFAULT 'P7D',
      freshness_error_after text NOT NULL DEFAULT 'P30D',
      raw_retention text NOT NULL DEFAULT 'P7D',
      score real,
      score_updated_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX workflows_created_idx ON workflows (created_at, id);
    CREATE INDEX workflows_owner_idx ON workflows (owner_id, created_at, id);

    CREATE TABLE datasets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
      name text NOT NULL,
      weight real NOT NULL DEFAULT 1 CHECK (weight >= 0),
      contract jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT datasets_workflow_name_key UNIQUE (workflow_id, name)
    );
    CREATE INDEX datasets_workflow_idx ON datasets (workflow_id, created_at, id);

    CREATE TABLE samples (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      dataset_id uuid NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('PILOT', 'PRODUCTION')),
      source text,
      filename text,
      extracted_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      byte_size bigint,
      sha256 text,
      status text NOT NULL DEFAULT 'AWAITING_UPLOAD'
        CHECK (status IN ('AWAITING_UPLOAD', 'RECEIVING', 'RECEIVED', 'PROFILING', 'PROFILED', 'FAILED')),
      error text,
      error_code text,
      progress real NOT NULL DEFAULT 0,
      blocks_total integer,
      blocks_done integer NOT NULL DEFAULT 0,
      rows bigint,
      dialect jsonb,
      active boolean NOT NULL DEFAULT true,
      raw_deleted_at timestamptz
    );
    CREATE INDEX samples_dataset_idx ON samples (dataset_id, created_at, id);
    CREATE INDEX samples_workflow_idx ON samples (workflow_id, created_at, id);
    CREATE INDEX samples_status_idx ON samples (status) WHERE status IN ('RECEIVING', 'RECEIVED', 'PROFILING');
    CREATE UNIQUE INDEX samples_dataset_sha256_key ON samples (dataset_id, sha256)
      WHERE status <> 'FAILED' AND sha256 IS NOT NULL;

    CREATE TABLE sample_blocks (
      sample_id uuid NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
      block_index integer NOT NULL,
      byte_offset bigint NOT NULL,
      byte_size integer NOT NULL,
      bytes bytea,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (sample_id, block_index)
    );
    -- Raw blocks are short-lived and written on the upload path: pglz (the default) compresses
    -- at ~35 MB/s and would cap upload speed. Use lz4 where the server has it, else no compression.
    DO $$
    BEGIN
      ALTER TABLE sample_blocks ALTER COLUMN bytes SET COMPRESSION lz4;
    EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
      ALTER TABLE sample_blocks ALTER COLUMN bytes SET STORAGE EXTERNAL;
    END
    $$;

    CREATE TABLE sample_block_states (
      sample_id uuid NOT NULL REFERENCES samples (id) ON DELETE CASCADE,
      block_index integer NOT NULL,
      rows integer,
      state jsonb,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (sample_id, block_index)
    );

    CREATE TABLE profiles (
      sample_id uuid PRIMARY KEY REFERENCES samples (id) ON DELETE CASCADE,
      engine_version text,
      profile jsonb,
      state jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE reality_reports (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
      dataset_id uuid NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      production_sample_id uuid REFERENCES samples (id) ON DELETE SET NULL,
      pilot_sample_ids uuid[] NOT NULL DEFAULT '{}',
      score real,
      drs_version text,
      report jsonb,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX reality_reports_dataset_idx ON reality_reports (dataset_id, created_at, id);
    CREATE INDEX reality_reports_workflow_idx ON reality_reports (workflow_id, created_at, id);

    CREATE TABLE findings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
      dataset_id uuid NOT NULL REFERENCES datasets (id) ON DELETE CASCADE,
      fingerprint text NOT NULL,
      code text NOT NULL,
      dimension text,
      column_name text,
      severity text NOT NULL,
      message text NOT NULL,
      evidence jsonb,
      status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'ACKNOWLEDGED', 'WAIVED', 'RESOLVED')),
      assignee text,
      first_report_id uuid REFERENCES reality_reports (id) ON DELETE SET NULL,
      last_report_id uuid REFERENCES reality_reports (id) ON DELETE SET NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      resolved_at timestamptz,
      CONSTRAINT findings_dataset_fingerprint_key UNIQUE (dataset_id, fingerprint)
    );
    CREATE INDEX findings_workflow_idx ON findings (workflow_id, status, created_at, id);
    CREATE INDEX findings_dataset_idx ON findings (dataset_id, status, created_at, id);

    CREATE TABLE api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      prefix text NOT NULL UNIQUE,
      secret_hash text NOT NULL,
      scopes jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz,
      last_used_at timestamptz
    );
    CREATE INDEX api_keys_created_idx ON api_keys (created_at, id);

    CREATE TABLE webhooks (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      workflow_id uuid NOT NULL REFERENCES workflows (id) ON DELETE CASCADE,
      url text NOT NULL,
      secret text NOT NULL,
      events text[] NOT NULL DEFAULT '{}',
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX webhooks_workflow_idx ON webhooks (workflow_id, created_at, id);

    CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      webhook_id uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
      event text NOT NULL,
      payload jsonb NOT NULL,
      status text NOT NULL DEFAULT 'PENDING',
      attempts integer NOT NULL DEFAULT 0,
      response_status integer,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    );
    CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at, id);
  `.execute(db);
}

/** Drops everything {@link up} created. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE IF EXISTS webhook_deliveries, webhooks, api_keys, findings, reality_reports, profiles,
      sample_block_states, sample_blocks, samples, datasets, workflows, owners;
  `.execute(db);
}
