// Finds the external tools a build needs (meson, ninja, a C compiler) and says how to install
// whatever is missing. Everything here fails with CpmError exit 4 and a one-line message.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import which from 'which';
import { CpmError, ExitCode } from '../errors.js';

/** Oldest meson the generated build files are written for. Debian bookworm's own 1.0.1 is too old. */
export const MIN_MESON_VERSION = '1.3.0';

export interface Tools {
  /** Absolute path of meson. */
  meson: string;
  /** `meson --version`, e.g. "1.7.0". */
  mesonVersion: string;
  ninja: string;
  /** The C compiler: $CC's program if set, else the first of cc, gcc, clang on PATH. */
  cc: string;
}

export interface ToolOptions {
  /** Environment to search (PATH, CC); defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** Package root (two levels above dist/generator/util or generator/util). */
function packageRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const candidate = path.resolve(here, up);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  return path.resolve(here, '../..');
}

/** How to run this repository's install script: an absolute path when the script ships with this copy. */
export function installScriptHint(): string {
  const script = path.join(packageRoot(), '.ci/install-system-deps.sh');
  return existsSync(script) ? `bash ${script}` : 'bash .ci/install-system-deps.sh from the cpython-meson repository';
}

/** How to get a new enough meson on Debian bookworm (whose own meson is 1.0.1). */
const MESON_BACKPORTS = 'add the bookworm-backports apt source, then apt-get install -t bookworm-backports meson';

/** Absolute path of `name` on the env's PATH, or null. */
export async function findTool(name: string, options: ToolOptions = {}): Promise<string | null> {
  const env = options.env ?? process.env;
  if (name.includes('/')) return which(path.resolve(name), { nothrow: true });
  // which() falls back to process.env.PATH (or the cwd) for an empty path: an empty PATH finds nothing.
  if (!env.PATH) return null;
  return which(name, { path: env.PATH, nothrow: true });
}

/** The C compiler: the program named by $CC (first word) if set, else cc, gcc or clang. */
export async function findCCompiler(options: ToolOptions = {}): Promise<string | null> {
  const env = options.env ?? process.env;
  const fromEnv = env.CC?.trim().split(/\s+/)[0];
  if (fromEnv) return findTool(fromEnv, options);
  for (const name of ['cc', 'gcc', 'clang']) {
    const found = await findTool(name, options);
    if (found) return found;
  }
  return null;
}

/** Runs `meson --version`; returns the trimmed output. */
export function mesonVersionOf(meson: string, options: ToolOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(meson, ['--version'], { env: options.env ?? process.env, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) {
        const detail = (stderr || err.message).trim().split('\n').pop() ?? '';
        reject(new CpmError(`\`meson --version\` failed: ${detail}; reinstall meson >= ${MIN_MESON_VERSION} (on Debian: ${MESON_BACKPORTS})`, { file: meson, exitCode: ExitCode.toolFailed }));
        return;
      }
      resolve(stdout.trim());
    });
  });
}

/** True when a `meson --version` string is at least MIN_MESON_VERSION (pre-releases of a newer version count). */
export function mesonVersionOk(version: string): boolean {
  const v = semver.coerce(version);
  return v !== null && semver.gte(v, MIN_MESON_VERSION);
}

/**
 * Finds meson (>= 1.3.0), ninja and a C compiler. Fails with one CpmError (exit 4) naming every
 * missing tool and the Debian packages that provide it.
 */
export async function requireTools(options: ToolOptions = {}): Promise<Tools> {
  const [meson, ninja, cc] = await Promise.all([findTool('meson', options), findTool('ninja', options), findCCompiler(options)]);
  const env = options.env ?? process.env;
  const missing: string[] = [];
  const packages: string[] = [];
  if (!meson) missing.push(`meson (>= ${MIN_MESON_VERSION})`);
  if (!ninja) {
    missing.push('ninja');
    packages.push('ninja-build');
  }
  if (!cc) {
    missing.push(env.CC ? `the C compiler $CC=${env.CC}` : 'a C compiler (cc, gcc or clang)');
    packages.push('build-essential');
  }
  if (!meson || !ninja || !cc) {
    const hints: string[] = [];
    if (packages.length) hints.push(`apt-get install ${packages.join(' ')}`);
    if (!meson) hints.push(`for meson >= ${MIN_MESON_VERSION}, ${MESON_BACKPORTS}`);
    throw new CpmError(
      `not found on PATH: ${missing.join(', ')}; on Debian: ${hints.join('; ')} (or run ${installScriptHint()}, which installs all of them)`,
      { exitCode: ExitCode.toolFailed },
    );
  }
  const mesonVersion = await mesonVersionOf(meson, options);
  if (!mesonVersionOk(mesonVersion)) {
    throw new CpmError(
      `meson ${mesonVersion} is older than ${MIN_MESON_VERSION}; on Debian bookworm ${MESON_BACKPORTS} (or run ${installScriptHint()}), elsewhere pip install --user 'meson>=${MIN_MESON_VERSION}'`,
      { file: meson, exitCode: ExitCode.toolFailed },
    );
  }
  return { meson, mesonVersion, ninja, cc };
}
