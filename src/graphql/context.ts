import type { Kysely } from 'kysely';
import type { Database } from '../db/database.js';
import type { ProfilingScheduler } from '../ingest/profiling-scheduler.js';
import type { UploadTokenSigner } from '../ingest/upload-token.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import type { Semaphore } from '../platform/semaphore.js';
import type { Access } from './access.js';

/** Long-lived dependencies of the API, shared by all requests. */
export interface ApiServices {
  readonly config: Config;
  readonly db: Kysely<Database>;
  readonly scheduler: ProfilingScheduler;
  readonly logger: Logger;
  readonly uploadSigner: UploadTokenSigner;
  /** This API process's upload lease (see `registerApiProcess`), recorded on the uploads it receives. */
  readonly receiverId?: string | null;
  /** Places for uploads being received (UPLOAD_MAX_CONCURRENT), shared by `PUT` and multipart. */
  readonly uploadSlots: Semaphore;
}

/** The per-request context every resolver receives. */
export interface GraphQLContext {
  readonly services: ApiServices;
  readonly db: Kysely<Database>;
  readonly access: Access;
  /** Id of the HTTP request (echoed in `x-request-id`). */
  readonly requestId: string;
  /** Logs with the request id and the API key id. */
  readonly logger: Logger;
  /** Base URL clients reach this API at: PUBLIC_URL, else the scheme and Host of the request. */
  readonly baseUrl: string;
  /** Owners the key may see (owners of readable workflows), or undefined for all; computed once per request. */
  visibleOwnerIds(): Promise<ReadonlySet<string> | undefined>;
}
