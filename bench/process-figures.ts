/** What one benchmark process used, for the whole process (all its threads). */
export interface ProcessFigures {
  /** Peak resident set size. */
  maxRssMiB: number;
  /** CPU time, user plus system. */
  cpuSeconds: number;
  /** The part of `cpuSeconds` spent in the kernel (page faults, mostly, in these programs). */
  systemSeconds: number;
  /** Page faults served without I/O: first touches of memory the process was given. */
  minorFaults: number;
}

/**
 * The figures of the calling process so far, from getrusage(2): peak RSS, CPU seconds and page
 * faults. The CPU seconds show how much work a program did whatever the wall clock says; the
 * faults show how much of it the machine's memory management may have cost.
 */
export function processFigures(): ProcessFigures {
  const usage = process.resourceUsage();
  return {
    maxRssMiB: usage.maxRSS / 1024,
    cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6,
    systemSeconds: usage.systemCPUTime / 1e6,
    minorFaults: usage.minorPageFault,
  };
}
