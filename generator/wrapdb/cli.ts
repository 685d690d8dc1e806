// `cpython-meson wrapdb`: write a WrapDB contribution for a CPython release tarball and check it
// against WrapDB's rules, or (--check) check an existing contribution directory.
import path from 'node:path';
import type { CliDeps } from '../cli/main.js';
import { CpmError, ExitCode } from '../errors.js';

export const WRAPDB_USAGE = 'cpython-meson wrapdb <python-tarball> --out <dir> [--revision N] | cpython-meson wrapdb --check <dir>';

export function wrapdbHelp(): string {
  return `Usage: cpython-meson wrapdb <python-tarball> --out <dir> [--revision N]
       cpython-meson wrapdb --check <dir>

Writes a contribution to Meson's WrapDB (mesonbuild/wrapdb) for a CPython release tarball
(Python-X.Y.Z.tar.xz from python.org, or Debian's identical python3.X_X.Y.Z.orig.tar.xz):

  <dir>/subprojects/cpython.wrap               [wrap-file] with python.org's URL of the tarball and
                                               its sha256, patch_directory = cpython; [provide]
                                               dependency_names = python3-embed, program_names = python3
  <dir>/subprojects/packagefiles/cpython/      the generated Meson build (meson.build, meson.options,
                                               pyconfig.h.meson, ...) formatted as WrapDB wants
  <dir>/releases.json                          the "cpython" entry, e.g. versions ["3.13.15-1"]
                                               (merged into an existing releases.json)
  <dir>/README.md                              how to submit it; the per-project exception needed for
                                               Tools/meson/cpython_meson.py

then checks <dir> against WrapDB's rules (tools/sanity_checks.py: wrap format, provides, permitted
files, meson format, SPDX license, default_options, project version, a test suite named cpython)
and prints the report. --check <dir> only checks. Needs meson >= 1.5 (meson format) and tar.

Options:
  --out <dir>       where to write (created if missing)
  --revision N      WrapDB revision of this release (default 1: 3.13.15-1)
  --check <dir>     check an existing contribution, write nothing
  -h, --help        show this help

Exit codes:
  0   written (or checked) and every WrapDB rule passes
  1   some rule fails (see the report)
  2   bad input: bad arguments, not a CPython release tarball
  3   the output is not writable
  4   a tool (meson, tar) is missing or failed
  70  internal error`;
}

function usage(what: string): CpmError {
  return new CpmError(`${what} (usage: ${WRAPDB_USAGE})`);
}

interface WrapdbArgs {
  help: boolean;
  positionals: string[];
  out: string | null;
  check: string | null;
  revision: number | null;
}

export function parseWrapdbArgs(args: readonly string[]): WrapdbArgs {
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
      if (name !== '--out' && name !== '--check' && name !== '--revision') throw usage(`unknown option ${name}`);
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined || value === '' || (eq === -1 && value.startsWith('-'))) throw usage(`option ${name} expects a value`);
      if (name === '--out') a.out = value;
      else if (name === '--check') a.check = value;
      else {
        if (!/^[1-9][0-9]*$/.test(value)) throw usage(`--revision expects a positive integer, got ${JSON.stringify(value)}`);
        a.revision = Number(value);
      }
      continue;
    }
    if (arg.startsWith('-') && arg !== '-') throw usage(`unknown option ${arg}`);
    a.positionals.push(arg);
  }
  return a;
}

/** Runs `cpython-meson wrapdb ...`; returns the exit code. */
export async function cmdWrapdb(args: readonly string[], deps: CliDeps): Promise<number> {
  const a = parseWrapdbArgs(args);
  if (a.help) {
    deps.out(wrapdbHelp());
    return ExitCode.ok;
  }
  const { checkContribution, formatCheckReport } = await import('./check.js');
  let dir: string;
  if (a.check !== null) {
    if (a.out !== null || a.revision !== null || a.positionals.length) throw usage('--check <dir> takes no tarball, --out or --revision');
    dir = path.resolve(deps.cwd, a.check);
  } else {
    if (a.positionals.length === 0) throw usage('missing <python-tarball>');
    if (a.positionals.length > 1) throw usage(`unexpected argument ${JSON.stringify(a.positionals[1])}`);
    if (a.out === null) throw usage('missing --out <dir>');
    const tarball = path.resolve(deps.cwd, a.positionals[0] ?? '');
    dir = path.resolve(deps.cwd, a.out);
    const [{ writeContribution }, { packageVersion }] = await Promise.all([import('./contribution.js'), import('../cli/main.js')]);
    const result = await writeContribution(tarball, dir, { revision: a.revision ?? 1, generate: deps.generate, toolVersion: packageVersion() });
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
