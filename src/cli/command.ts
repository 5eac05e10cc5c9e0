/** A CLI sub-command: `realitycheck <name> …`. Each lives in its own file under `commands/`. */
export interface Command {
  /** One line shown in `realitycheck --help`. */
  readonly summary: string;
  /** Full help text shown by `realitycheck <name> --help`. */
  readonly help: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}

/** Raised for wrong command-line usage; printed with the command's help and exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
