import type { DatasetSnapshot } from '../model/snapshot.js';
import { headerDuplicates } from './column-matching.js';
import { RAGGED_FLAG } from './drs-parameters.js';
import type { FindingDraft } from './finding-draft.js';
import { percent } from './message-format.js';

/**
 * Findings about the file rather than one pilot column: columns only production has, duplicate header names,
 * ragged rows, CSV parse problems and a change of encoding. They carry no points (the score is per column).
 */
export function datasetFindings(pilot: DatasetSnapshot, production: DatasetSnapshot, extra: readonly string[]): Array<{ draft: FindingDraft; column: string | null }> {
  const out: Array<{ draft: FindingDraft; column: string | null }> = [];
  for (const name of extra) {
    out.push({
      column: name,
      draft: {
        code: 'COLUMN_EXTRA',
        dimension: 'schema',
        severity: 'info',
        message: `${name}: production has this column; the pilot did not (not scored).`,
        evidence: {},
      },
    });
  }
  const pilotDuplicates = headerDuplicates(pilot);
  for (const name of headerDuplicates(production)) {
    if (pilotDuplicates.includes(name)) continue;
    out.push({
      column: name,
      draft: {
        code: 'DUPLICATE_HEADER',
        dimension: 'schema',
        severity: 'warning',
        message: `${name}: production's header has this column name more than once, so a reader keyed by name sees only one of them.`,
        evidence: {},
      },
    });
  }
  const share = (count: number, rows: number) => (rows > 0 ? count / rows : 0);
  const raggedP = share(pilot.raggedRows.missingFields + pilot.raggedRows.extraFields, pilot.rows);
  const raggedQ = share(production.raggedRows.missingFields + production.raggedRows.extraFields, production.rows);
  if (raggedQ - raggedP >= RAGGED_FLAG) {
    out.push({
      column: null,
      draft: {
        code: 'RAGGED_ROWS',
        dimension: 'schema',
        severity: raggedQ - raggedP >= 0.1 ? 'critical' : 'warning',
        message: `${percent(raggedQ)} of production rows have more or fewer fields than the header (pilot ${percent(raggedP)}).`,
        evidence: { pilot: pilot.raggedRows, production: production.raggedRows, pilotShare: raggedP, productionShare: raggedQ },
      },
    });
  }
  const errorsP = share(pilot.parseErrors.count, pilot.rows);
  const errorsQ = share(production.parseErrors.count, production.rows);
  if (production.parseErrors.count > 0 && errorsQ > errorsP) {
    out.push({
      column: null,
      draft: {
        code: 'PARSE_ERRORS',
        dimension: 'schema',
        severity: errorsQ - errorsP >= RAGGED_FLAG ? 'warning' : 'info',
        message: `Production has ${production.parseErrors.count} CSV parse problem(s)${production.parseErrors.first[0] ? `, first at row ${production.parseErrors.first[0].row}: ${production.parseErrors.first[0].message}` : ''}.`,
        evidence: { pilotCount: pilot.parseErrors.count, productionCount: production.parseErrors.count, first: production.parseErrors.first },
      },
    });
  }
  if (production.decodedAs !== pilot.decodedAs) {
    out.push({
      column: null,
      draft: {
        code: 'ENCODING_CHANGED',
        dimension: 'format',
        severity: production.decodedAs === 'windows-1252' ? 'warning' : 'info',
        message: `Production is encoded as ${production.decodedAs}${production.decodedAs === 'windows-1252' ? ' (it is not valid UTF-8)' : ''}; the pilot was ${pilot.decodedAs}.`,
        evidence: { pilot: pilot.decodedAs, production: production.decodedAs, pilotBom: pilot.bom, productionBom: production.bom },
      },
    });
  }
  return out;
}
