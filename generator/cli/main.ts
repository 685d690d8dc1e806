// The command line's entry: finds the command in the table (commands.ts), runs it, and maps every
// error to one line `cpython-meson: <file>: <what was expected>` and an exit code (see
// EXIT_CODES_HELP); internal errors print one line and exit 70.
//
// The runners and the pipeline are imported lazily so that `--help` works even while the
// generator is broken, and tests can inject a fake `generate` (CliDeps).
import { CpmError, ExitCode } from '../errors.js';
import type { GenerateResult } from '../pipeline.js';
import { COMMANDS } from './commands.js';
import { findCommand, mainHelp, unknownCommand } from './help.js';
import { INTERNAL_ERROR_EXIT, type CliDeps } from './shared.js';

export { INTERNAL_ERROR_EXIT, type CliDeps } from './shared.js';
export { packageVersion } from '../util/package.js';

async function defaultGenerate(root: string): Promise<GenerateResult> {
  const pipeline = await import('../pipeline.js');
  return pipeline.generate(root);
}

/** One line for an error that is not a CpmError. */
function internalLine(err: unknown): string {
  const msg = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
  const first = msg.split('\n').map((l) => l.trim()).filter((l) => l !== '')[0] ?? 'unknown error';
  return `cpython-meson: ${first} (internal error; set CPYTHON_MESON_DEBUG=1 for a stack trace)`;
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: readonly string[], overrides: Partial<CliDeps> = {}): Promise<number> {
  const deps: CliDeps = {
    generate: overrides.generate ?? defaultGenerate,
    out: overrides.out ?? ((line) => void process.stdout.write(`${line}\n`)),
    err: overrides.err ?? ((line) => void process.stderr.write(`${line}\n`)),
    env: overrides.env ?? process.env,
    cwd: overrides.cwd ?? process.cwd(),
  };
  const debug = deps.env.CPYTHON_MESON_DEBUG === '1';
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '-h' || first === '--help') {
      deps.out(mainHelp(COMMANDS));
      return ExitCode.ok;
    }
    const command = findCommand(COMMANDS, first);
    if (!command) throw unknownCommand(COMMANDS, first);
    const run = await command.load();
    return await run(rest, deps, command);
  } catch (err) {
    if (err instanceof CpmError) {
      deps.err(`cpython-meson: ${err.oneLine().replace(/\s*\n\s*/g, ' ')}`);
      if (debug && err.stack) deps.err(err.stack);
      return err.exitCode;
    }
    deps.err(internalLine(err));
    if (debug && err instanceof Error && err.stack) deps.err(err.stack);
    return INTERNAL_ERROR_EXIT;
  }
}
