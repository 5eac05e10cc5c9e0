import { xxh64Hex } from '../sketch/xxh64.js';
import type { Dimension } from './drs-parameters.js';
import type { Finding, Severity } from './reality-report.js';

/** A finding before it is attached to its column. */
export interface FindingDraft {
  readonly code: string;
  readonly dimension: Dimension;
  readonly severity: Severity;
  readonly message: string;
  readonly evidence: Readonly<Record<string, unknown>>;
}

/**
 * Stable identity of a problem: the same code, dimension and column give the same fingerprint on every
 * report, whatever the figures, so a store can keep a finding's status while it persists.
 */
export function findingFingerprint(code: string, dimension: Dimension, column: string | null): string {
  return xxh64Hex(JSON.stringify([code, dimension, column ?? '']));
}

/** Attaches a draft to its column and stamps its fingerprint. */
export function toFinding(draft: FindingDraft, column: string | null): Finding {
  return { ...draft, column, fingerprint: findingFingerprint(draft.code, draft.dimension, column) };
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { critical: 0, warning: 1, info: 2 };

/** Orders findings critical first, then by the points their column and dimension lose. */
export function compareFindings(a: Finding, b: Finding, lossOf: (f: Finding) => number): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || lossOf(b) - lossOf(a) || a.code.localeCompare(b.code);
}

/** One finding per fingerprint: the first of each, i.e. the most severe as a report orders them. */
export function uniqueByFingerprint<T extends { readonly fingerprint: string }>(findings: readonly T[]): T[] {
  const seen = new Set<string>();
  return findings.filter((f) => (seen.has(f.fingerprint) ? false : (seen.add(f.fingerprint), true)));
}
