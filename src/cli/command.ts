// What every `meshlens` subcommand module exports (its own module, so the dispatcher in main.ts
// and the commands do not import each other).
export interface Command {
  summary: string;
  /** Runs the command; resolves to the process exit code. */
  run(argv: string[]): Promise<number>;
}
