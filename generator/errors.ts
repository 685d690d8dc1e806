// User-facing errors: one line naming the file and what was expected. The CLI prints
// `cpython-meson: <message>` and exits with `exitCode`; no stack trace.

export const ExitCode = {
  ok: 0,
  /** `--check` found a difference. */
  differs: 1,
  /** Bad input: not a checkout, unsupported version, unparsable file, bad arguments. */
  badInput: 2,
  /** Refused to overwrite a file we did not generate, or the output is not writable. */
  refused: 3,
  /** A tool we run (meson, ninja, apt-get) is missing or failed. */
  toolFailed: 4,
} as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export class CpmError extends Error {
  readonly file: string | undefined;
  readonly exitCode: ExitCodeValue;
  constructor(message: string, options: { file?: string; exitCode?: ExitCodeValue } = {}) {
    super(message);
    this.name = 'CpmError';
    this.file = options.file;
    this.exitCode = options.exitCode ?? ExitCode.badInput;
  }
  /** The one-line form the CLI prints. */
  oneLine(): string {
    return this.file ? `${this.file}: ${this.message}` : this.message;
  }
}

/** A parse error at a line of a file. */
export function parseError(file: string, line: number, expected: string): CpmError {
  return new CpmError(`line ${line}: ${expected}`, { file });
}
