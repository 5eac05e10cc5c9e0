import type { DatasetSnapshot } from '../model/snapshot.js';
/** A pilot column paired with its production counterpart (or with none). */
export interface ColumnPair {
  readonly pilot: string;
  readonly production: string | null;
  readonly matchedBy: 'exact' | 'map' | 'normalized' | null;
}

/** Result of matching two headers (METRICS §4.1). */
export interface ColumnMatching {
  /** One entry per pilot column, in pilot order. */
  readonly pairs: readonly ColumnPair[];
  /** Production columns left unmatched, in production order. */
  readonly extra: readonly string[];
  /** Column-map keys that name no pilot column. */
  readonly unusedMappings: readonly string[];
}

/**
 * The form under which two header names are the same column despite case, spacing or punctuation:
 * NFKC, trim, case-fold, keep letters and digits only. `Cost Total $` and `Cost__Total_$` both give `costtotal`.
 */
export function normalizeColumnName(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

/**
 * Pairs pilot columns with production columns: first the explicit map (pilot → production names), then
 * identical names, then names equal after {@link normalizeColumnName}. Each production column is used once.
 */
export function matchColumns(
  pilotHeader: readonly string[],
  productionHeader: readonly string[],
  columnMap: Readonly<Record<string, string>> = {},
): ColumnMatching {
  const available = new Set(productionHeader);
  const pairs = new Map<string, ColumnPair>();
  const pilotNames = new Set(pilotHeader);
  const unusedMappings = Object.keys(columnMap).filter((name) => !pilotNames.has(name));

  for (const name of pilotHeader) {
    const mapped = Object.prototype.hasOwnProperty.call(columnMap, name) ? columnMap[name] : undefined;
    if (mapped !== undefined && available.has(mapped)) {
      pairs.set(name, { pilot: name, production: mapped, matchedBy: 'map' });
      available.delete(mapped);
    }
  }
  for (const name of pilotHeader) {
    if (pairs.has(name) || !available.has(name)) continue;
    pairs.set(name, { pilot: name, production: name, matchedBy: 'exact' });
    available.delete(name);
  }
  const byNormalized = new Map<string, string[]>();
  for (const name of productionHeader) {
    if (!available.has(name)) continue;
    const key = normalizeColumnName(name);
    if (key === '') continue;
    const list = byNormalized.get(key) ?? [];
    list.push(name);
    byNormalized.set(key, list);
  }
  for (const name of pilotHeader) {
    if (pairs.has(name)) continue;
    const candidates = byNormalized.get(normalizeColumnName(name));
    const match = candidates?.shift();
    if (match !== undefined) {
      pairs.set(name, { pilot: name, production: match, matchedBy: 'normalized' });
      available.delete(match);
    } else {
      pairs.set(name, { pilot: name, production: null, matchedBy: null });
    }
  }
  return {
    pairs: pilotHeader.map((name) => pairs.get(name) as ColumnPair),
    extra: productionHeader.filter((name) => available.has(name)),
    unusedMappings,
  };
}

/** Names that occur more than once in a header. */
export function duplicateNames(header: readonly string[]): string[] {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) duplicates.add(name);
    seen.add(name);
  }
  return [...duplicates];
}

/** Names duplicated in a sample's header: as the reader found them (it makes them unique) or as given. */
export function headerDuplicates(snapshot: DatasetSnapshot): string[] {
  return [...new Set([...snapshot.headerIssues.duplicateNames, ...duplicateNames(snapshot.header)])];
}
