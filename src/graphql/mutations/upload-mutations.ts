import { insertSample } from '../../db/samples.js';
import { IngestError } from '../../ingest/ingest-error.js';
import { ingestSample } from '../../ingest/ingest-sample.js';
import { currentRequest, suspendIdleTimeout } from '../../platform/request-state.js';
import { builder } from '../builder.js';
import { DatasetRef, SampleRef } from '../types/node-refs.js';
import { encodeGlobalId } from '../global-id.js';
import { writableDataset } from '../guards.js';
import { ingestGraphQLError } from '../ingest-errors.js';
import { SampleRoleEnum } from '../types/enums.js';
import { filenameSchema, sourceSchema } from './input-schemas.js';

/** The bytes of an uploaded multipart file as they arrive (a streamed part), or in slices (a buffered file). */
async function* fileChunks(file: File): AsyncGenerator<Uint8Array> {
  const stream = file.stream() as unknown as AsyncIterable<Uint8Array>;
  if (typeof stream[Symbol.asyncIterator] === 'function') {
    yield* stream;
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  const slice = 1024 * 1024;
  for (let offset = 0; offset < bytes.byteLength; offset += slice) yield bytes.subarray(offset, offset + slice);
}

builder.relayMutationField(
  'uploadSample',
  {
    description: 'Input of uploadSample.',
    inputFields: (t) => ({
      datasetId: t.globalID({ required: true, for: DatasetRef, description: 'The dataset the file samples.' }),
      role: t.field({ type: SampleRoleEnum, required: true, description: 'PILOT or PRODUCTION.' }),
      file: t.field({ type: 'File', required: true, description: 'The CSV file, as a multipart part.' }),
      extractedAt: t.field({ type: 'DateTime', required: false, description: 'As-of time of the data; default: now.' }),
      source: t.string({ required: false, description: 'Source system (free text).', validate: sourceSchema }),
      filename: t.string({ required: false, description: 'File name to record; default: the part\'s file name.', validate: filenameSchema }),
    }),
  },
  {
    description:
      'Uploads a small CSV file in a GraphQL multipart request (limit MULTIPART_MAX_BYTES, default 25 MiB; beyond, the request is refused with HTTP 413 and PAYLOAD_TOO_LARGE). The file is streamed into blocks as it arrives. Answers once the file is stored (status RECEIVED). Use createUpload for large files.',
    nullable: true,
    authScopes: { authenticated: true },
    resolve: async (_root, { input }, context) => {
      const dataset = await writableDataset(context, input.datasetId.id);
      const { config, scheduler } = context.services;
      const sample = await insertSample(context.db, {
        dataset_id: dataset.id,
        workflow_id: dataset.workflow_id,
        role: input.role,
        source: input.source?.trim() || null,
        filename: input.filename?.trim() || input.file.name || null,
        extracted_at: input.extractedAt ?? new Date(),
      });
      try {
        const request = currentRequest()?.req;
        const result = await context.services.uploadSlots.run(() => ingestSample({
          db: context.db,
          scheduler,
          logger: context.logger,
          sampleId: sample.id,
          source: fileChunks(input.file),
          publicSampleId: (id) => encodeGlobalId('Sample', id),
          receiverId: context.services.receiverId,
          // A streamed part's size is not known before it ends (NaN): the limit is then checked as bytes arrive.
          declaredBytes: Number.isFinite(input.file.size) ? input.file.size : undefined,
          limits: {
            maxBytes: config.multipartMaxBytes,
            maxBytesSetting: 'MULTIPART_MAX_BYTES',
            blockBytes: config.blockBytes,
            maxColumns: config.maxColumns,
            maxRecordBytes: config.maxRecordBytes,
          },
        }), () => (request ? suspendIdleTimeout(request) : () => undefined));
        return { sample: result.sample };
      } catch (error) {
        if (error instanceof IngestError) throw ingestGraphQLError(error, sample.id);
        throw error;
      }
    },
  },
  {
    description: 'Result of uploadSample.',
    outputFields: (t) => ({
      sample: t.field({ type: SampleRef, description: 'The stored sample.', resolve: (payload) => payload.sample }),
    }),
  },
);

builder.relayMutationField(
  'createUpload',
  {
    description: 'Input of createUpload.',
    inputFields: (t) => ({
      datasetId: t.globalID({ required: true, for: DatasetRef, description: 'The dataset the file samples.' }),
      role: t.field({ type: SampleRoleEnum, required: true, description: 'PILOT or PRODUCTION.' }),
      filename: t.string({ required: true, description: 'Name of the file to upload.', validate: filenameSchema }),
      extractedAt: t.field({ type: 'DateTime', required: false, description: 'As-of time of the data; default: now.' }),
      source: t.string({ required: false, description: 'Source system (free text).', validate: sourceSchema }),
    }),
  },
  {
    description:
      'Starts a streaming upload of any size (up to UPLOAD_MAX_BYTES): creates a sample AWAITING_UPLOAD and returns a signed URL. `PUT` the raw file bytes to it; the answer is `{ sampleId, bytes, blocks }`.',
    nullable: true,
    authScopes: { authenticated: true },
    resolve: async (_root, { input }, context) => {
      const dataset = await writableDataset(context, input.datasetId.id);
      const { config, uploadSigner } = context.services;
      const sample = await insertSample(context.db, {
        dataset_id: dataset.id,
        workflow_id: dataset.workflow_id,
        role: input.role,
        source: input.source?.trim() || null,
        filename: input.filename.trim(),
        extracted_at: input.extractedAt ?? new Date(),
      });
      const expiresAt = new Date(Date.now() + config.uploadUrlTtlSeconds * 1000);
      const token = uploadSigner.sign(sample.id, expiresAt);
      const uploadUrl = `${context.baseUrl}/uploads/${sample.id}?token=${encodeURIComponent(token)}`;
      return { sample, uploadUrl, expiresAt };
    },
  },
  {
    description: 'Result of createUpload.',
    outputFields: (t) => ({
      sample: t.field({ type: SampleRef, description: 'The new sample, AWAITING_UPLOAD.', resolve: (payload) => payload.sample }),
      uploadUrl: t.string({
        description: 'Where to `PUT` the raw bytes (e.g. `curl -T file.csv "<uploadUrl>"`). Valid for one upload, until expiresAt.',
        resolve: (payload) => payload.uploadUrl,
      }),
      expiresAt: t.field({ type: 'DateTime', description: 'When the upload URL stops working.', resolve: (payload) => payload.expiresAt }),
    }),
  },
);
