import { UsageError } from './command.js';

/** Parsed command line: positional arguments and `--name value` / `--flag` options. */
export interface ParsedArgs {
  readonly positional: string[];
  readonly options: Map<string, string | true>;
}

/**
 * Parses `argv` against the options a command accepts. `valued` options take the next word
 * (or `--name=value`); `flags` take none. Unknown options are a {@link UsageError}.
 */
export function parseArgs(argv: readonly string[], valued: readonly string[], flags: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i];
    if (!word.startsWith('--') || word === '--') {
      positional.push(word);
      continue;
    }
    const eq = word.indexOf('=');
    const name = word.slice(2, eq < 0 ? undefined : eq);
    if (flags.includes(name)) {
      if (eq >= 0) throw new UsageError(`--${name} takes no value`);
      options.set(name, true);
    } else if (valued.includes(name)) {
      const value = eq >= 0 ? word.slice(eq + 1) : argv[++i];
      if (value === undefined || (eq < 0 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positional, options };
}

/** Reads an ISO 8601 date/time option; a usage error names the option when it does not parse. */
export function dateOption(args: ParsedArgs, name: string): Date | undefined {
  const value = args.options.get(name);
  if (value === undefined || value === true) return undefined;
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value) || Number.isNaN(time)) {
    throw new UsageError(`--${name} '${value}' is not an ISO 8601 date or date-time (e.g. 2024-05-01 or 2024-05-01T12:00:00Z)`);
  }
  return new Date(time);
}

/** Reads a positive number option within [min, max]. */
export function numberOption(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const value = args.options.get(name);
  if (value === undefined || value === true) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`--${name} must be a number from ${min} to ${max}, got '${value}'`);
  return n;
}
