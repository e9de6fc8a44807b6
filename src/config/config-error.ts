// The one error type a bad configuration produces. Its message is a single line that names the
// file, line and key (or the flag or variable), ready for stderr; `src/cli.ts` prints it, exit 1.
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = "ConfigError";
  }
}
