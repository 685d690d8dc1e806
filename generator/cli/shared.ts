// What the command runners share: the injected dependencies (CliDeps), the shape of a command
// (CommandSpec, declared in commands.ts), the exit-code and environment help, and the argument
// helpers. Imports nothing from the commands, so no runner depends on main.ts or commands.ts.
import { statSync } from 'node:fs';
import path from 'node:path';
import { CpmError } from '../errors.js';
import type { GenerateResult } from '../pipeline.js';

/** Exit code for unexpected internal errors (EX_SOFTWARE). */
export const INTERNAL_ERROR_EXIT = 70;

export interface CliDeps {
  /** The pipeline's generate(); defaults to generator/pipeline.ts's. */
  generate: (root: string) => Promise<GenerateResult>;
  /** One line of normal output (no trailing newline). */
  out: (line: string) => void;
  /** One line of diagnostics (no trailing newline). */
  err: (line: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A command's own texts, as a runner needs them: for --help and for usage errors. */
export interface CommandText {
  /** One line: `cpython-meson <name> ...` (alternatives separated by " | "). */
  usage: string;
  /** The full help, printed by `cpython-meson help <name>` and `cpython-meson <name> --help`. */
  help: () => string;
}

/** Runs a command with its arguments (after the command name); returns the exit code. */
export type CommandRunner = (args: readonly string[], deps: CliDeps, command: CommandText) => Promise<number>;

/** One entry of the command table (generator/cli/commands.ts). */
export interface CommandSpec extends CommandText {
  /** As typed on the command line: "generate", ..., "--version". */
  name: string;
  /** Other spellings, e.g. "-V" for "--version". */
  aliases: readonly string[];
  /** One line for the command list of the main help. */
  summary: string;
  /** Imports the runner's module (lazily, so `--help` works while the generator is broken). */
  load: () => Promise<CommandRunner>;
}

export const EXIT_CODES_HELP = `Exit codes:
  0   success
  1   generate --check: some generated file would be created or changed
  2   bad input: bad arguments, not a CPython checkout, unsupported version, unparsable file
  3   refused: a file exists that cpython-meson did not generate, or a generated file was edited
      outside its keep blocks (use --force); or the output is not writable
  4   a tool (meson, ninja, C compiler, apt-get, tar) is missing or failed
  70  internal error (a bug in cpython-meson; CPYTHON_MESON_DEBUG=1 prints the stack trace)`;

export const ENV_HELP = `Environment:
  CPYTHON_MESON_CACHE    where downloaded CPython sources are kept
                         (default $XDG_CACHE_HOME/cpython-meson, else ~/.cache/cpython-meson)
  CPYTHON_MESON_DEBUG=1  print stack traces for internal errors`;

export interface OptionSpec {
  /** Boolean flags, e.g. "--check". */
  flags: readonly string[];
  /** Options taking one value, e.g. "--cpython-version". */
  values: readonly string[];
  /** Accept -D opt=val / -Dopt=val. */
  defines: boolean;
}

export interface ParsedArgs {
  positionals: string[];
  flags: Set<string>;
  values: Map<string, string>;
  defines: string[];
  help: boolean;
}

/** A bad-arguments error (exit 2) ending with the command's usage line. */
export function usageError(usage: string, what: string): CpmError {
  return new CpmError(`${what} (usage: ${usage})`);
}

/** Parses a command's arguments; unknown options and malformed values throw CpmError exit 2 with the usage line. */
export function parseArgs(usage: string, args: readonly string[], spec: OptionSpec): ParsedArgs {
  const parsed: ParsedArgs = { positionals: [], flags: new Set(), values: new Map(), defines: [], help: false };
  const define = (value: string | undefined, written: string): void => {
    if (value === undefined || !/^[A-Za-z_][\w.:-]*=/.test(value)) {
      throw usageError(usage, `${written} expects opt=val, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
    }
    parsed.defines.push(value);
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      parsed.positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg === '-h' || arg === '--help') {
      parsed.help = true;
      continue;
    }
    if (spec.defines && arg.startsWith('-D')) {
      if (arg === '-D') {
        define(args[i + 1], '-D');
        i++;
      } else {
        define(arg.slice(2), '-D');
      }
      continue;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      const inline = eq === -1 ? undefined : arg.slice(eq + 1);
      if (spec.flags.includes(name)) {
        if (inline !== undefined) throw usageError(usage, `option ${name} takes no value`);
        parsed.flags.add(name);
        continue;
      }
      if (spec.values.includes(name)) {
        const value = inline ?? args[++i];
        if (value === undefined || value === '' || (inline === undefined && value.startsWith('-'))) {
          throw usageError(usage, `option ${name} expects a value`);
        }
        parsed.values.set(name, value);
        continue;
      }
      throw usageError(usage, `unknown option ${name}`);
    }
    if (arg.startsWith('-') && arg !== '-') throw usageError(usage, `unknown option ${arg}`);
    parsed.positionals.push(arg);
  }
  return parsed;
}

/** True when -h or --help comes before any "--". */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '-h' || a === '--help');
}

/** Resolves a checkout argument and fails (exit 2, naming the path) unless it is a directory. */
export function checkoutDir(arg: string, cwd: string): string {
  const abs = path.resolve(cwd, arg);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch {
    throw new CpmError('no such directory; expected a CPython source checkout', { file: arg });
  }
  if (!isDir) throw new CpmError('is not a directory; expected a CPython source checkout', { file: arg });
  return abs;
}
