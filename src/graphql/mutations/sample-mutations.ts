import type { SampleChange } from '../../db/samples.js';
import { deleteSample, setSampleActive } from '../../db/samples.js';
import { builder } from '../builder.js';
import type { GraphQLContext } from '../context.js';
import { apiError, notFound } from '../errors.js';
import { encodeGlobalId } from '../global-id.js';
import { writableSample } from '../guards.js';
import { DatasetRef, SampleRef } from '../types/node-refs.js';

/**
 * Queues the report that a change asked for. The change is committed whatever happens here: a
 * report job that cannot be queued now is queued by the workers' reconciler (the request stays
 * recorded on the dataset until a report answers it).
 */
async function queueReport(context: GraphQLContext, change: Extract<SampleChange, { kind: 'changed' }>): Promise<void> {
  const { scheduler, logger } = context.services;
  try {
    await scheduler.onReportRequested?.(change.sample.dataset_id, change.sample.id, change.reportRequestedAt);
  } catch (error) {
    logger.warn('could not queue the report a sample change asked for; the reconciler queues it', {
      datasetId: change.sample.dataset_id,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

function activeMutation(name: 'deactivateSample' | 'reactivateSample', active: boolean, description: string) {
  builder.relayMutationField(
    name,
    {
      description: `Input of ${name}.`,
      inputFields: (t) => ({
        id: t.globalID({ required: true, for: SampleRef, description: 'The sample.' }),
      }),
    },
    {
      description,
      nullable: true,
      authScopes: { authenticated: true },
      resolve: async (_root, { input }, context) => {
        const sample = await writableSample(context, input.id.id);
        const change = await setSampleActive(context.db, sample.id, active);
        if (change.kind === 'not-found' || change.kind === 'receiving') throw notFound('Sample', encodeGlobalId('Sample', sample.id));
        if (change.kind === 'changed') await queueReport(context, change);
        return { sample: change.sample, changed: change.kind === 'changed' };
      },
    },
    {
      description: `Result of ${name}.`,
      outputFields: (t) => ({
        sample: t.field({ type: SampleRef, description: 'The sample as it is now.', resolve: (payload) => payload.sample }),
        dataset: t.field({
          type: DatasetRef,
          description: 'Its dataset: `reportError` and `latestReport.stale` say whether a new report is pending or could not be computed.',
          resolve: (payload) => payload.sample.dataset_id,
        }),
        changed: t.boolean({
          description: 'Whether the sample changed (false when it already was in that state: no new report is asked for).',
          resolve: (payload) => payload.changed,
        }),
      }),
    },
  );
}

activeMutation(
  'deactivateSample',
  false,
  'Takes a sample out of its dataset\'s reports (write scope on its workflow, as for uploads): a PILOT sample leaves the baseline, a ' +
    'PRODUCTION sample is no longer compared. Its profile and the reports that used it are kept. A new report of the dataset is ' +
    'computed (the latest one is `stale` until then). Undo with reactivateSample.',
);

activeMutation(
  'reactivateSample',
  true,
  'Makes a deactivated sample take part in its dataset\'s reports again (write scope on its workflow); a new report of the dataset is computed.',
);

builder.relayMutationField(
  'deleteSample',
  {
    description: 'Input of deleteSample.',
    inputFields: (t) => ({
      id: t.globalID({ required: true, for: SampleRef, description: 'The sample to delete.' }),
    }),
  },
  {
    description:
      'Deletes a sample (write scope on its workflow, as for uploads): its raw blocks, its profile, and the reports that compared it as ' +
      'PRODUCTION. Reports whose PILOT baseline included it are kept as history (`pilotSamples` lists the samples that still exist). ' +
      'The workflow score is recomputed from the reports that remain and a new report of the dataset is computed. CONFLICT while the ' +
      'sample is RECEIVING (its upload ends first; an upload whose process died is failed within a minute).',
    nullable: true,
    authScopes: { authenticated: true },
    resolve: async (_root, { input }, context) => {
      const sample = await writableSample(context, input.id.id);
      const globalId = encodeGlobalId('Sample', sample.id);
      const change = await deleteSample(context.db, sample.id);
      if (change.kind === 'not-found') throw notFound('Sample', globalId);
      if (change.kind === 'receiving') {
        throw apiError('CONFLICT', `sample ${globalId} is RECEIVING: its upload is in progress; delete it once the upload has ended`, {
          status: 'RECEIVING',
        });
      }
      if (change.kind === 'changed') await queueReport(context, change);
      return { sampleId: sample.id, datasetId: sample.dataset_id, reportsDeleted: change.kind === 'changed' ? change.reportsDeleted : 0 };
    },
  },
  {
    description: 'Result of deleteSample.',
    outputFields: (t) => ({
      deletedSampleId: t.id({ description: 'Global id of the deleted sample.', resolve: (payload) => encodeGlobalId('Sample', payload.sampleId) }),
      dataset: t.field({ type: DatasetRef, description: 'Its dataset.', resolve: (payload) => payload.datasetId }),
      reportsDeleted: t.int({ description: 'Reports deleted with it (those that compared it as PRODUCTION).', resolve: (payload) => payload.reportsDeleted }),
    }),
  },
);
