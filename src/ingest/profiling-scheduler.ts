/**
 * What the upload pipeline tells the profiling backend. The API calls these hooks; a worker
 * backend (e.g. BullMQ) implements them by enqueuing jobs. Implementations must be idempotent:
 * a hook may be called again for the same block or sample after a retry.
 */
export interface ProfilingScheduler {
  /** A block was committed to `sample_blocks` and may be profiled now. */
  onBlockStored(sampleId: string, blockIndex: number): Promise<void>;
  /** The sample is RECEIVED (committed): all its blocks are stored and `blocks_total` is set. */
  onUploadComplete(sampleId: string): Promise<void>;
  /**
   * A change to a dataset's samples (`sampleId` deactivated, reactivated or deleted) asked for a
   * new report, at `requestedAt` (see `requestReport`). Backends without workers leave it out.
   */
  onReportRequested?(datasetId: string, sampleId: string, requestedAt: Date): Promise<void>;
  /** Releases connections; called on shutdown. */
  close(): Promise<void>;
}

/**
 * A scheduler that does nothing: samples stay RECEIVED. Used when no worker backend is
 * configured, and by tests of the upload path.
 */
export function createNoopScheduler(): ProfilingScheduler {
  return {
    onBlockStored: async () => {},
    onUploadComplete: async () => {},
    close: async () => {},
  };
}
