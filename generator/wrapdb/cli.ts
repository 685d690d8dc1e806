// `cpython-meson wrapdb`: write a WrapDB contribution for a CPython release tarball and check it
// against WrapDB's rules, or (--check) check an existing contribution directory. Its usage and help
// are in the command table (generator/cli/commands.ts).
import path from 'node:path';
import { usageError, type CliDeps, type CommandText } from '../cli/shared.js';
import { ExitCode } from '../errors.js';
import { packageVersion } from '../util/package.js';

interface WrapdbArgs {
  help: boolean;
  positionals: string[];
  out: string | null;
  check: string | null;
  revision: number | null;
}

export function parseWrapdbArgs(args: readonly string[], command: CommandText): WrapdbArgs {
  const a: WrapdbArgs = { help: false, positionals: [], out: null, check: null, revision: null };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '-h' || arg === '--help') {
      a.help = true;
      continue;
    }
    if (arg === '--') {
      a.positionals.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq === -1 ? arg : arg.slice(0, eq);
      if (name !== '--out' && name !== '--check' && name !== '--revision') throw usageError(command.usage, `unknown option ${name}`);
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '' || (eq === -1 && value.startsWith('-'))) throw usageError(command.usage, `option ${name} expects a value`);
      if (name === '--out') a.out = value;
      else if (name === '--check') a.check = value;
      else {
        if (!/^[1-9][0-9]*$/.test(value)) throw usageError(command.usage, `--revision expects a positive integer, got ${JSON.stringify(value)}`);
        a.revision = Number(value);
      }
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') throw usageError(command.usage, `unknown option ${arg}`);
    a.positionals.push(arg);
  }
  return a;
}

/** Runs `cpython-meson wrapdb ...`; returns the exit code. */
export async function cmdWrapdb(args: readonly string[], deps: CliDeps, command: CommandText): Promise<number> {
  const a = parseWrapdbArgs(args, command);
  if (a.help) {
    deps.out(command.help());
    return ExitCode.ok;
  }
  const { checkContribution, formatCheckReport } = await import('./check.js');
  let dir: string;
  if (a.check !== null) {
    if (a.out !== null || a.revision !== null || a.positionals.length) throw usageError(command.usage, '--check <dir> takes no tarball, --out or --revision');
    dir = path.resolve(deps.cwd, a.check);
  } else {
    if (a.positionals.length === 0) throw usageError(command.usage, 'missing <python-tarball>');
    if (a.positionals.length > 1) throw usageError(command.usage, `unexpected argument ${JSON.stringify(a.positionals[1])}`);
    if (a.out === null) throw usageError(command.usage, 'missing --out <dir>');
    const tarball = path.resolve(deps.cwd, a.positionals[0] ?? '');
    dir = path.resolve(deps.cwd, a.out);
    const { writeContribution } = await import('./contribution.js');
    // The contribution's own generator (the pipeline with WRAPDB_EMIT_OPTIONS), not deps.generate,
    // which takes no emit options: with a checkout's, the pyconfig test programs would be .c files.
    const result = await writeContribution(tarball, dir, { revision: a.revision ?? 1, toolVersion: packageVersion() });
    deps.out(`CPython ${result.version}: WrapDB release ${result.release} written to ${dir}`);
    for (const f of result.written) deps.out(`  wrote  ${f}`);
    if (result.leftOut.length) {
      deps.out(`  left out ${result.leftOut.length} file(s) under subprojects/: the fallback wraps ${result.fallbackWraps.join(', ')}, which WrapDB provides itself`);
    }
    for (const w of result.warnings) deps.err(`cpython-meson: warning: ${w}`);
  }
  const report = await checkContribution(dir);
  for (const line of formatCheckReport(report)) deps.out(line);
  return report.ok ? ExitCode.ok : ExitCode.differs;
}
