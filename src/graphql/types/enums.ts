import { builder } from '../builder.js';

/** PILOT or PRODUCTION. */
export const SampleRoleEnum = builder.enumType('SampleRole', {
  description: 'Which side of the comparison a sample stands on.',
  values: {
    PILOT: { description: 'Curated data the AI pilot was built and evaluated on.' },
    PRODUCTION: { description: 'Data as the production systems really deliver it.' },
  } as const,
});

/** Sample lifecycle. */
export const SampleStatusEnum = builder.enumType('SampleStatus', {
  description: 'Where a sample is in its life: upload, then profiling.',
  values: {
    AWAITING_UPLOAD: { description: 'Created by createUpload; waiting for the PUT of its bytes.' },
    RECEIVING: { description: 'Bytes are arriving and being stored in blocks.' },
    RECEIVED: { description: 'All bytes are stored; profiling has not started yet.' },
    PROFILING: { description: 'Workers are profiling the blocks; see progress.' },
    PROFILED: { description: 'The profile is available.' },
    FAILED: { description: 'Upload or profiling failed; see error and errorCode. No partial data is kept.' },
  } as const,
});

/** Finding workflow states. */
export const FindingStatusEnum = builder.enumType('FindingStatus', {
  description: 'Triage state of a finding.',
  values: {
    OPEN: { description: 'New, nobody has acted on it yet.' },
    ACKNOWLEDGED: { description: 'Someone is on it.' },
    WAIVED: { description: 'Accepted as is; it will not count as open.' },
    RESOLVED: { description: 'Fixed, or no longer observed in the latest report.' },
  } as const,
});

/** Finding severities, most severe first. */
export const FindingSeverityEnum = builder.enumType('FindingSeverity', {
  description: 'How serious a finding is, most severe first. `Finding.severity` names the same levels in lower case.',
  values: {
    CRITICAL: { value: 'critical', description: "Breaks a pipeline or the model's assumptions." },
    WARNING: { value: 'warning', description: 'Degrades them.' },
    INFO: { value: 'info', description: 'Context, nothing to fix by itself.' },
  } as const,
});
