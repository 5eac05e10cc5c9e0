import { computeFreshness, type FreshnessSla } from '../profile/freshness.js';
import type { TimestampSnapshot } from '../model/snapshot.js';
import { expectedAbsoluteDifference, wilsonInterval } from '../stats/proportions.js';
import { FUTURE_SHARE_CRITICAL, FUTURE_SHARE_FLAG, STALE_SHARE_CRITICAL, STALE_SHARE_FLAG } from './drs-parameters.js';
import type { FindingDraft } from './finding-draft.js';
import { duration, isoDate, percent } from './message-format.js';
import { sketchRankError } from '../sketch/kll.js';
import type { FreshnessEvidence, SampleFreshness } from './reality-report.js';

/** Freshness of one timestamp column pair, each side against its own as-of. */
export interface FreshnessComparison {
  readonly evidence: FreshnessEvidence;
  /** S_T = g(recency excess) × (1 − Δstale) × (1 − Δfuture), with the share deltas beyond noise. */
  readonly credit: number;
  readonly halfWidth: number;
  readonly findings: readonly FindingDraft[];
}

/** g of METRICS §3: 1 while the recency excess is within warn_after, falling linearly to 0 at 2 × error_after. */
export function recencyCredit(excessSeconds: number, sla: FreshnessSla): number {
  if (excessSeconds <= sla.warnAfterSeconds) return 1;
  const zeroAt = 2 * sla.errorAfterSeconds;
  if (excessSeconds >= zeroAt) return 0;
  return 1 - (excessSeconds - sla.warnAfterSeconds) / (zeroAt - sla.warnAfterSeconds);
}

/**
 * The edge of a sample's newest records: the (1 − future share − t)-quantile, i.e. the newest value once
 * values after the as-of time and the newest share t are set aside.
 */
function recentEdge(ts: TimestampSnapshot, futureShare: number, t: number): number {
  return ts.sketch.quantile(Math.min(1, Math.max(0, 1 - futureShare - t)));
}

/** Absolute freshness of a sample, as reported beside the score. */
export function sampleFreshness(ts: TimestampSnapshot, asOfSeconds: number, sla: FreshnessSla): SampleFreshness {
  return { asOf: new Date(asOfSeconds * 1000).toISOString(), ...computeFreshness(ts, asOfSeconds, sla) };
}

/**
 * Compares the freshness of two timestamp columns (METRICS §3, freshness fidelity): a production sample as
 * old relative to its extraction as the pilot was relative to its own loses nothing. Stale and future share
 * differences count only beyond the sketches' rank error and sampling noise. `scored` marks the column that
 * drives the dimension; staleness is judged only on event timestamps or the scored column, future dates on
 * every column that is not a schedule.
 */
export function compareFreshness(
  column: string,
  pilot: TimestampSnapshot,
  production: TimestampSnapshot,
  pilotAsOfSeconds: number,
  productionAsOfSeconds: number,
  sla: FreshnessSla,
  scored: boolean,
): FreshnessComparison {
  const fP = sampleFreshness(pilot, pilotAsOfSeconds, sla);
  const fQ = sampleFreshness(production, productionAsOfSeconds, sla);
  const n = pilot.count;
  const m = production.count;
  const noiseFloor = sketchRankError(pilot.sketch) + sketchRankError(production.sketch);
  const beyondNoise = (a: number, b: number) => Math.max(0, b - a - noiseFloor - expectedAbsoluteDifference(a, n, m));
  // A value after extraction is an error, not freshness; and a sample's newest value is at the mercy of a few
  // stray records. So each side's "newest records" end where all but its newest t of the non-future values lie
  // (t = 10 values of the smaller sample, plus the sketch's rank error), and production is judged staler only
  // by how far its edge lies below the pilot's edge taken three times deeper (and deeper by both rank errors): under no
  // change that happens with probability about 0.1%, since the pilot's 30 newest would all have to beat
  // production's 10th newest. The exact maxima stay in the evidence.
  const t = Math.min(0.1, 10 / Math.max(1, Math.min(n, m)));
  const epsP = sketchRankError(pilot.sketch);
  const epsQ = sketchRankError(production.sketch);
  const recentP = recentEdge(pilot, fP.futureShare, t + epsP);
  const recentQ = recentEdge(production, fQ.futureShare, t + epsQ);
  const referenceP = recentEdge(pilot, fP.futureShare, 3 * t + epsP + epsQ);
  const recencyP = pilotAsOfSeconds - recentP;
  const recencyQ = productionAsOfSeconds - recentQ;
  const recencyExcess = Math.max(0, recencyQ - (pilotAsOfSeconds - referenceP));
  const staleShareDelta = beyondNoise(fP.staleShare, fQ.staleShare);
  const futureShareDelta = beyondNoise(fP.futureShare, fQ.futureShare);
  const credit = recencyCredit(recencyExcess, sla) * (1 - staleShareDelta) * (1 - futureShareDelta);
  const halfWidth = Math.min(
    1,
    noiseFloor + wilsonInterval(fP.staleShare * n, n).halfWidth + wilsonInterval(fQ.staleShare * m, m).halfWidth,
  );
  const evidence: FreshnessEvidence = {
    pilot: fP,
    production: fQ,
    recencyExcessSeconds: recencyExcess,
    pilotRecentEdge: new Date(recentP * 1000).toISOString(),
    productionRecentEdge: new Date(recentQ * 1000).toISOString(),
    ageP50DeltaSeconds: fQ.ageP50Seconds - fP.ageP50Seconds,
    staleShareDelta: fQ.staleShare - fP.staleShare,
    futureShareDelta: fQ.futureShare - fP.futureShare,
    scored,
  };

  const findings: FindingDraft[] = [];
  if (scored || pilot.role === 'event') {
    const staleByRecency = recencyExcess > sla.warnAfterSeconds;
    const staleByShare = staleShareDelta >= STALE_SHARE_FLAG;
    if (staleByRecency || staleByShare) {
      const critical = recencyExcess > sla.errorAfterSeconds || staleShareDelta >= STALE_SHARE_CRITICAL;
      const message = staleByRecency
        ? `${column}: production's newest records (up to ${isoDate(recentQ)}) are ${duration(recencyQ)} old at extraction; the pilot's (up to ${isoDate(recentP)}) were ${duration(recencyP)} old at its own.`
        : `${column}: ${percent(fQ.staleShare)} of production values are older than ${duration(sla.errorAfterSeconds)} at extraction, against ${percent(fP.staleShare)} in the pilot.`;
      findings.push({
        code: 'STALE_DATA',
        dimension: 'freshness',
        severity: critical ? 'critical' : 'warning',
        message,
        evidence: {
          pilotRecencySeconds: recencyP,
          productionRecencySeconds: recencyQ,
          recencyExcessSeconds: recencyExcess,
          pilotStaleShare: fP.staleShare,
          productionStaleShare: fQ.staleShare,
          pilotAgeP50Seconds: fP.ageP50Seconds,
          productionAgeP50Seconds: fQ.ageP50Seconds,
          pilotMaxTimestamp: fP.maxTimestamp,
          productionMaxTimestamp: fQ.maxTimestamp,
          pilotRecentEdge: evidence.pilotRecentEdge,
          productionRecentEdge: evidence.productionRecentEdge,
          errorAfterSeconds: sla.errorAfterSeconds,
        },
      });
    }
  }
  // A value after extraction is impossible for an event, so production having some where the pilot had none is
  // a finding whatever its size; when both have some, the difference must exceed 3σ of sampling noise.
  // (The sketch's rank error only discounts the score.)
  const futurePoint = fQ.futureShare - fP.futureShare;
  const pooledFuture = (fP.futureShare * n + fQ.futureShare * m) / (n + m);
  const futureSigma = Math.sqrt(pooledFuture * (1 - pooledFuture) * (1 / n + 1 / m));
  const futureIsNew = fQ.futureShare > 0 && (fP.futureShare === 0 || futurePoint > 3 * futureSigma);
  if (pilot.role !== 'scheduled' && futureIsNew) {
    findings.push({
      code: 'FUTURE_TIMESTAMPS',
      dimension: 'freshness',
      severity: futurePoint >= FUTURE_SHARE_CRITICAL ? 'critical' : futurePoint >= FUTURE_SHARE_FLAG ? 'warning' : 'info',
      message: `${column}: ${percent(fQ.futureShare)} of production values lie after its extraction time (latest ${isoDate(production.max)}); the pilot had ${percent(fP.futureShare)}.`,
      evidence: { pilotFutureShare: fP.futureShare, productionFutureShare: fQ.futureShare, productionMaxTimestamp: fQ.maxTimestamp },
    });
  }
  return { evidence, credit, halfWidth, findings };
}
