import { DATASET_NAME_CONSTRAINT, insertDataset, updateDataset } from '../../db/datasets.js';
import type { DatasetContract } from '../../db/database.js';
import { isUniqueViolation } from '../../db/pg-errors.js';
import { builder } from '../builder.js';
import { DatasetRef, WorkflowRef } from '../types/node-refs.js';
import { apiError, badInput, notFound } from '../errors.js';
import { encodeGlobalId } from '../global-id.js';
import { writableDataset, writableWorkflow } from '../guards.js';
import { columnListSchema, columnNameSchema, nameSchema, weightSchema } from './input-schemas.js';

const ColumnMappingInput = builder.inputType('ColumnMappingInput', {
  description: 'A column production names differently from the pilot.',
  fields: (t) => ({
    pilot: t.string({ required: true, description: 'Name in pilot samples.', validate: columnNameSchema }),
    production: t.string({ required: true, description: 'Name in production samples.', validate: columnNameSchema }),
  }),
});

const DatasetContractInput = builder.inputType('DatasetContractInput', {
  description: 'The column contract of a dataset. Every part is optional; columns are named as in pilot samples.',
  fields: (t) => ({
    requiredColumns: t.stringList({ required: false, description: 'Columns the workflow cannot do without.', validate: columnListSchema }),
    timestampColumn: t.string({ required: false, description: 'Column that dates the records, for freshness.', validate: columnNameSchema }),
    columnMap: t.field({ type: [ColumnMappingInput], required: false, description: 'Renames between pilot and production.' }),
    sensitiveColumns: t.stringList({ required: false, description: 'Columns whose values must never be shown.', validate: columnListSchema }),
  }),
});

type ContractInput = {
  requiredColumns?: string[] | null;
  timestampColumn?: string | null;
  columnMap?: { pilot: string; production: string }[] | null;
  sensitiveColumns?: string[] | null;
};

function toContract(input: ContractInput): DatasetContract {
  const contract: DatasetContract = {};
  if (input.requiredColumns) contract.requiredColumns = [...new Set(input.requiredColumns)];
  if (input.timestampColumn) contract.timestampColumn = input.timestampColumn;
  if (input.columnMap) {
    const map: Record<string, string> = {};
    for (const { pilot, production } of input.columnMap) {
      if (pilot in map) throw badInput('input.contract.columnMap', `pilot column "${pilot}" is mapped twice`);
      map[pilot] = production;
    }
    contract.columnMap = map;
  }
  if (input.sensitiveColumns) contract.sensitiveColumns = [...new Set(input.sensitiveColumns)];
  return contract;
}

function nameTaken(name: string) {
  return apiError('CONFLICT', `input.name: a dataset named "${name}" already exists in this workflow`, { field: 'input.name' });
}

builder.relayMutationField(
  'createDataset',
  {
    description: 'Input of createDataset.',
    inputFields: (t) => ({
      workflowId: t.globalID({ required: true, for: WorkflowRef, description: 'The workflow that consumes the dataset.' }),
      name: t.string({ required: true, description: 'Name, unique within the workflow.', validate: nameSchema }),
      weight: t.float({ required: false, description: 'Weight in the workflow score (default 1).', validate: weightSchema }),
      contract: t.field({ type: DatasetContractInput, required: false, description: 'Optional column contract.' }),
    }),
  },
  {
    description: 'Adds a dataset to a workflow (write scope on the workflow). CONFLICT when the name is taken.',
    nullable: true,
    authScopes: { authenticated: true },
    resolve: async (_root, { input }, context) => {
      const workflow = await writableWorkflow(context, input.workflowId.id);
      const name = input.name.trim();
      try {
        const dataset = await insertDataset(context.db, {
          workflow_id: workflow.id,
          name,
          weight: input.weight ?? undefined,
          contract: toContract(input.contract ?? {}),
        });
        return { dataset };
      } catch (error) {
        if (isUniqueViolation(error, DATASET_NAME_CONSTRAINT)) throw nameTaken(name);
        throw error;
      }
    },
  },
  {
    description: 'Result of createDataset.',
    outputFields: (t) => ({
      dataset: t.field({ type: DatasetRef, description: 'The new dataset.', resolve: (payload) => payload.dataset }),
    }),
  },
);

builder.relayMutationField(
  'updateDataset',
  {
    description: 'Input of updateDataset: the fields to change; a given contract replaces the whole contract.',
    inputFields: (t) => ({
      id: t.globalID({ required: true, for: DatasetRef, description: 'The dataset to change.' }),
      name: t.string({ required: false, description: 'New name.', validate: nameSchema }),
      weight: t.float({ required: false, description: 'New weight.', validate: weightSchema }),
      contract: t.field({ type: DatasetContractInput, required: false, description: 'New contract (replaces the old one).' }),
    }),
  },
  {
    description: 'Renames a dataset, or changes its weight or contract (write scope on its workflow).',
    nullable: true,
    authScopes: { authenticated: true },
    resolve: async (_root, { input }, context) => {
      const current = await writableDataset(context, input.id.id);
      const name = input.name?.trim();
      try {
        const dataset = await updateDataset(context.db, current.id, {
          name,
          weight: input.weight ?? undefined,
          contract: input.contract ? toContract(input.contract) : undefined,
        });
        if (!dataset) throw notFound('Dataset', encodeGlobalId('Dataset', current.id));
        return { dataset };
      } catch (error) {
        if (isUniqueViolation(error, DATASET_NAME_CONSTRAINT)) throw nameTaken(name ?? current.name);
        throw error;
      }
    },
  },
  {
    description: 'Result of updateDataset.',
    outputFields: (t) => ({
      dataset: t.field({ type: DatasetRef, description: 'The dataset as changed.', resolve: (payload) => payload.dataset }),
    }),
  },
);
