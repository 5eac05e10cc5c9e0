/** Formatting of figures inside finding messages: short, unambiguous, no false precision. */

/** A share as a percentage: "35%", "2.4%", "0.06%", "<0.01%". */
export function percent(share: number): string {
  const p = share * 100;
  if (p === 0) return '0%';
  if (Math.abs(p) >= 10) return `${Math.round(p)}%`;
  if (Math.abs(p) >= 1) return `${trim(p.toFixed(1))}%`;
  if (Math.abs(p) >= 0.01) return `${trim(p.toFixed(2))}%`;
  return p > 0 ? '<0.01%' : '>-0.01%';
}

/** A share known within bounds: "0.23%" when exact, "0.19–0.39%" when only bounds are known. */
export function shareRange(low: number, high: number): string {
  if (high <= low) return percent(low);
  const a = percent(low);
  const b = percent(high);
  return a === b ? a : `${a.replace(/%$/, '')}–${b}`;
}

/** A number with `digits` decimals, as `toFixed` writes it (the form evidence figures are quoted in). */
export function fixed(x: number, digits: number): string {
  return x.toFixed(digits);
}

/** Percentage points: "12 points". */
export function points(share: number): string {
  const p = Math.abs(share * 100);
  return `${p >= 10 ? Math.round(p) : trim(p.toFixed(1))} points`;
}

/** A duration in the largest sensible unit: "45 minutes", "3 days", "14 months", "6.5 years". */
export function duration(seconds: number): string {
  const s = Math.abs(seconds);
  const sign = seconds < 0 ? '-' : '';
  if (s < 3600) return `${sign}${Math.round(s / 60)} minutes`;
  if (s < 2 * 86_400) return `${sign}${trim((s / 3600).toFixed(1))} hours`;
  if (s < 90 * 86_400) return `${sign}${Math.round(s / 86_400)} days`;
  if (s < 730 * 86_400) return `${sign}${Math.round(s / (30.44 * 86_400))} months`;
  return `${sign}${trim((s / (365.25 * 86_400)).toFixed(1))} years`;
}

/** A number with at most 4 significant digits and thousands separators: "1,234", "0.0421", "3.2e+9" stays readable. */
export function number(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (x !== 0 && (Math.abs(x) >= 1e15 || Math.abs(x) < 1e-4)) return x.toExponential(2);
  const rounded = Number(x.toPrecision(4));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** A value quoted for a message, shortened if long. */
export function quote(value: string, max = 40): string {
  const short = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  return `'${short}'`;
}

/** An ISO date (YYYY-MM-DD) of epoch seconds. */
export function isoDate(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 10);
}

function trim(s: string): string {
  return s.includes('.') ? s.replace(/\.?0+$/, '') : s;
}
