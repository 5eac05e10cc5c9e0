import { readFile } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { SCHEMA_FILE } from '../../src/graphql/print-schema.js';
import { buildSchema, printApiSchema } from '../../src/graphql/schema.js';

it('schema.graphql is the printed schema (run `npm run schema:print` when this fails)', async () => {
  const committed = await readFile(SCHEMA_FILE, 'utf8');
  expect(committed).toBe(printApiSchema());
});

it('documents every type, field, argument and enum value', () => {
  const schema = buildSchema();
  const undocumented: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || ['String', 'Int', 'Float', 'Boolean', 'ID'].includes(type.name)) continue;
    if (!type.description) undocumented.push(type.name);
    if ('getFields' in type) {
      for (const field of Object.values(type.getFields())) {
        if (!field.description) undocumented.push(`${type.name}.${field.name}`);
        for (const arg of 'args' in field ? field.args : []) {
          if (!arg.description) undocumented.push(`${type.name}.${field.name}(${arg.name})`);
        }
      }
    }
    if ('getValues' in type) {
      for (const value of type.getValues()) if (!value.description) undocumented.push(`${type.name}.${value.name}`);
    }
  }
  expect(undocumented).toEqual([]);
});

it('keeps the contract names integrations rely on', () => {
  const schema = buildSchema();
  const fieldsOf = (name: string) => Object.keys((schema.getType(name) as any).getFields());
  const mutations = schema.getMutationType()!.getFields();
  for (const [name, payload] of [
    ['createWorkflow', 'CreateWorkflowPayload'],
    ['createDataset', 'CreateDatasetPayload'],
    ['uploadSample', 'UploadSamplePayload'],
    ['createUpload', 'CreateUploadPayload'],
    ['createApiKey', 'CreateApiKeyPayload'],
    ['revokeApiKey', 'RevokeApiKeyPayload'],
    ['updateFinding', 'UpdateFindingPayload'],
  ]) {
    const field = mutations[name!];
    expect(field, name).toBeDefined();
    expect(field!.args.map((a) => a.name), name).toEqual(['input']);
    expect(String(field!.args[0]!.type), name).toMatch(/^[A-Za-z]+Input!$/);
    expect(String(field!.type), name).toBe(payload);
  }
  const queries = schema.getQueryType()!.getFields();
  for (const name of ['workflow', 'workflows', 'dataset', 'sample', 'node']) expect(queries[name], name).toBeDefined();
  expect(queries.workflows!.args.map((a) => a.name)).toEqual(expect.arrayContaining(['first', 'after']));
  expect(String(schema.getType('File'))).toBe('File');
  expect(String(schema.getType('JSON'))).toBe('JSON');
  expect(fieldsOf('CreateWorkflowPayload')).toContain('workflow');
  expect(fieldsOf('CreateDatasetPayload')).toContain('dataset');
  expect(fieldsOf('UploadSamplePayload')).toContain('sample');
  expect(fieldsOf('CreateUploadPayload')).toEqual(expect.arrayContaining(['sample', 'uploadUrl']));
  expect(fieldsOf('CreateApiKeyPayload')).toEqual(expect.arrayContaining(['apiKey', 'secret']));
  expect(fieldsOf('Sample')).toEqual(expect.arrayContaining(['id', 'status', 'progress', 'error', 'rows', 'profile']));
  expect(fieldsOf('Profile')).toEqual(expect.arrayContaining(['rows', 'columns']));
  expect(fieldsOf('ColumnProfile')).toEqual(expect.arrayContaining(['name', 'type', 'completeness', 'formatConsistency', 'distinct']));
  expect(fieldsOf('UploadSampleInput')).toEqual(expect.arrayContaining(['datasetId', 'role', 'file', 'extractedAt', 'source']));
  expect(fieldsOf('CreateUploadInput')).toEqual(expect.arrayContaining(['datasetId', 'role', 'filename', 'extractedAt', 'source']));
});
