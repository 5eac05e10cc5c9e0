import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from 'kysely';

/** A `timestamptz` column: read as Date, written as Date or ISO string. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A `timestamptz` column filled by a default. */
type CreatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
/** A `bigint` column: node-postgres returns int8 as a string to stay exact. */
type Int8 = ColumnType<string, number | bigint | string, number | bigint | string>;
/** A `jsonb` column holding T. Written as a JSON string or value (node-postgres serializes objects). */
type Json<T> = ColumnType<T, T | string, T | string>;

/** Sample lifecycle; see the `samples.status` check constraint. */
export type SampleStatus = 'AWAITING_UPLOAD' | 'RECEIVING' | 'RECEIVED' | 'PROFILING' | 'PROFILED' | 'FAILED';
/** Which side of the comparison a sample stands on. */
export type SampleRole = 'PILOT' | 'PRODUCTION';
/** Finding workflow states. */
export type FindingStatus = 'OPEN' | 'ACKNOWLEDGED' | 'WAIVED' | 'RESOLVED';

/** The optional column contract of a dataset, stored in `datasets.contract`. */
export interface DatasetContract {
  requiredColumns?: string[];
  timestampColumn?: string;
  /** Pilot column name → production column name. */
  columnMap?: Record<string, string>;
  sensitiveColumns?: string[];
}

/** What an API key may do, stored in `api_keys.scopes`. `write` implies `read` on the same workflow. */
export interface ApiKeyScopes {
  admin: boolean;
  read: string[];
  write: string[];
}

export interface OwnersTable {
  id: Generated<string>;
  name: string;
  contact: string | null;
  created_at: CreatedAt;
}

export interface WorkflowsTable {
  id: Generated<string>;
  owner_id: string;
  name: string;
  description: string | null;
  readiness_target: Generated<number>;
  freshness_warn_after: Generated<string>;
  freshness_error_after: Generated<string>;
  raw_retention: Generated<string>;
  score: number | null;
  score_updated_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface DatasetsTable {
  id: Generated<string>;
  workflow_id: string;
  name: string;
  weight: Generated<number>;
  contract: ColumnType<DatasetContract, DatasetContract | string | undefined, DatasetContract | string>;
  created_at: CreatedAt;
  /** Why the last attempt at the dataset's report failed (cleared when a report is computed). */
  report_error_code: ColumnType<string | null, string | null | undefined, string | null>;
  report_error_message: ColumnType<string | null, string | null | undefined, string | null>;
  report_error_sample_id: ColumnType<string | null, string | null | undefined, string | null>;
  report_error_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When a change to its samples asked for a new report; a report older than this is out of date. */
  report_requested_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SamplesTable {
  id: Generated<string>;
  dataset_id: string;
  workflow_id: string;
  role: SampleRole;
  source: string | null;
  filename: string | null;
  extracted_at: Timestamp;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  byte_size: Int8 | null;
  sha256: string | null;
  status: ColumnType<SampleStatus, SampleStatus | undefined, SampleStatus>;
  error: string | null;
  error_code: string | null;
  progress: Generated<number>;
  blocks_total: number | null;
  blocks_done: Generated<number>;
  rows: Int8 | null;
  dialect: Json<unknown> | null;
  active: Generated<boolean>;
  raw_deleted_at: Timestamp | null;
  /** The API process receiving the upload (see `api_processes`), while RECEIVING. */
  receiver_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Size the client announced for its upload, when it did. */
  expected_bytes: ColumnType<string | null, number | bigint | string | null | undefined, number | bigint | string | null>;
}

export interface ApiProcessesTable {
  id: Generated<string>;
  host: string;
  pid: number;
  started_at: CreatedAt;
  heartbeat_at: CreatedAt;
}

export interface SampleBlocksTable {
  sample_id: string;
  block_index: number;
  byte_offset: Int8;
  byte_size: number;
  bytes: Uint8Array | null;
  created_at: CreatedAt;
}

export interface SampleBlockStatesTable {
  sample_id: string;
  block_index: number;
  rows: number | null;
  state: Json<unknown> | null;
  created_at: CreatedAt;
}

export interface ProfilesTable {
  sample_id: string;
  engine_version: string | null;
  profile: Json<unknown> | null;
  state: Json<unknown> | null;
  created_at: CreatedAt;
}

export interface RealityReportsTable {
  id: Generated<string>;
  workflow_id: string;
  dataset_id: string;
  production_sample_id: string | null;
  pilot_sample_ids: ColumnType<string[], string[] | undefined, string[]>;
  score: number | null;
  drs_version: string | null;
  report: Json<unknown> | null;
  created_at: CreatedAt;
}

export interface FindingsTable {
  id: Generated<string>;
  workflow_id: string;
  dataset_id: string;
  fingerprint: string;
  code: string;
  dimension: string | null;
  column_name: string | null;
  severity: string;
  /** Rank of `severity` for ordering, computed by Postgres: critical 3, warning 2, info 1, else 0. */
  severity_level: GeneratedAlways<number>;
  message: string;
  evidence: Json<unknown> | null;
  status: ColumnType<FindingStatus, FindingStatus | undefined, FindingStatus>;
  assignee: string | null;
  first_report_id: string | null;
  last_report_id: string | null;
  created_at: CreatedAt;
  updated_at: CreatedAt;
  resolved_at: Timestamp | null;
}

export interface ApiKeysTable {
  id: Generated<string>;
  name: string;
  prefix: string;
  secret_hash: string;
  scopes: ColumnType<ApiKeyScopes, ApiKeyScopes | string, ApiKeyScopes | string>;
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
}

export interface WebhooksTable {
  id: Generated<string>;
  workflow_id: string;
  url: string;
  secret: string;
  events: ColumnType<string[], string[] | undefined, string[]>;
  active: Generated<boolean>;
  created_at: CreatedAt;
}

export interface WebhookDeliveriesTable {
  id: Generated<string>;
  webhook_id: string;
  event: string;
  payload: Json<unknown>;
  status: Generated<string>;
  attempts: Generated<number>;
  response_status: number | null;
  error: string | null;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
}

/** The realitycheck database, table by table, as Kysely sees it. */
export interface Database {
  owners: OwnersTable;
  workflows: WorkflowsTable;
  datasets: DatasetsTable;
  samples: SamplesTable;
  sample_blocks: SampleBlocksTable;
  sample_block_states: SampleBlockStatesTable;
  profiles: ProfilesTable;
  reality_reports: RealityReportsTable;
  findings: FindingsTable;
  api_keys: ApiKeysTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  api_processes: ApiProcessesTable;
}

export type OwnerRow = Selectable<OwnersTable>;
export type WorkflowRow = Selectable<WorkflowsTable>;
export type DatasetRow = Selectable<DatasetsTable>;
export type SampleRow = Selectable<SamplesTable>;
export type ProfileRow = Selectable<ProfilesTable>;
export type RealityReportRow = Selectable<RealityReportsTable>;
export type FindingRow = Selectable<FindingsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type NewSample = Insertable<SamplesTable>;
export type WorkflowUpdate = Updateable<WorkflowsTable>;
