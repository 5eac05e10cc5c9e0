const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Parses an ISO-8601 duration (`P7D`, `PT12H`, `P1Y2M`, `P2W`) into approximate seconds (a year
 * counts 365 days, a month 30), enough to order two durations. Returns undefined when the text is
 * not a duration.
 *
 * @example
 * isoDurationSeconds('P1DT12H') // 129600
 */
export function isoDurationSeconds(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  const [, y, mo, w, d, h, mi, s] = match.map((part) => (part === undefined ? 0 : Number(part)));
  return (((y! * 365 + mo! * 30 + w! * 7 + d!) * 24 + h!) * 60 + mi!) * 60 + s!;
}
