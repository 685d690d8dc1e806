// Obtains a pristine CPython source tree: python.org's release tarball when reachable, else the
// upstream tarball inside Debian's source package (`apt-get source --download-only`). The
// tarball and the unpacked tree are kept in the cache and reused.
//
// Cache layout (<cache> = $CPYTHON_MESON_CACHE, $XDG_CACHE_HOME/cpython-meson or ~/.cache/cpython-meson):
//   <cache>/Python-<v>/                   pristine unpacked tree (never generated into)
//   <cache>/downloads/Python-<v>.tar.xz   the release tarball (Debian's *.orig.tar.* renamed)
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { CpmError, ExitCode } from '../errors.js';
import { installScriptHint } from './tools.js';
import { runTool } from './run.js';

export const DEFAULT_CPYTHON_VERSION = '3.13.15';
/** Time allowed for python.org to answer before falling back to Debian. */
export const PYTHON_ORG_CONNECT_TIMEOUT_MS = 5_000;
/** Time allowed for the whole python.org download. */
export const PYTHON_ORG_DOWNLOAD_TIMEOUT_MS = 20 * 60_000;

export type Log = (line: string) => void;

export interface ObtainOptions {
  /** Progress lines; defaults to stderr. */
  log?: Log;
  /** Base URL of the python.org ftp tree (tests point it elsewhere). */
  pythonOrgBase?: string;
  env?: NodeJS.ProcessEnv;
}

interface ParsedVersion {
  major: number;
  minor: number;
  micro: number;
  /** e.g. "a1", "rc2", or "" for a final release. */
  pre: string;
}

const VERSION_RE = /^(\d+)\.(\d+)\.(\d+)((?:a|b|rc)\d+)?$/;

/** Fails (exit 2, naming --cpython-version) unless `version` looks like a CPython release: 3.13.15, 3.14.0rc1. */
export function checkCPythonVersion(version: string): void {
  parseVersion(version);
}

function parseVersion(version: string): ParsedVersion {
  const m = VERSION_RE.exec(version);
  if (!m) {
    throw new CpmError(`expected a CPython release version such as ${DEFAULT_CPYTHON_VERSION} or 3.14.0rc1, got ${JSON.stringify(version)}`, {
      file: '--cpython-version',
    });
  }
  return { major: Number(m[1]), minor: Number(m[2]), micro: Number(m[3]), pre: m[4] ?? '' };
}

/** $CPYTHON_MESON_CACHE, else $XDG_CACHE_HOME/cpython-meson, else ~/.cache/cpython-meson. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CPYTHON_MESON_CACHE) return path.resolve(env.CPYTHON_MESON_CACHE);
  if (env.XDG_CACHE_HOME) return path.resolve(env.XDG_CACHE_HOME, 'cpython-meson');
  return path.join(os.homedir(), '.cache', 'cpython-meson');
}

/** Where the pristine unpacked tree of `version` lives. */
export function sourceTreePath(version: string, cacheDir: string = defaultCacheDir()): string {
  return path.join(cacheDir, `Python-${version}`);
}

const TARBALL_EXTENSIONS = ['.tar.xz', '.tar.gz', '.tgz', '.tar.bz2'] as const;

/**
 * Where the release tarball of `version` is kept: <cache>/downloads/Python-<v>.tar.xz (or the
 * .tar.gz/.tar.bz2 name if Debian's orig tarball used that compression and is what the cache holds).
 */
export function tarballPath(version: string, cacheDir: string = defaultCacheDir()): string {
  const base = path.join(cacheDir, 'downloads', `Python-${version}`);
  for (const ext of TARBALL_EXTENSIONS) {
    if (existsSync(base + ext)) return base + ext;
  }
  return `${base}.tar.xz`;
}

/** True when `dir` holds a CPython tree whose Include/patchlevel.h says PY_VERSION "<version>". */
export function isCPythonTree(dir: string, version: string): boolean {
  try {
    const text = readFileSync(path.join(dir, 'Include/patchlevel.h'), 'utf8');
    const m = /^#define\s+PY_VERSION\s+"([^"]+)"/m.exec(text);
    return m?.[1] === version;
  } catch {
    return false;
  }
}

function errMessage(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) return `${err.message}: ${cause.message}`;
    return err.message;
  }
  return String(err);
}


function lastLine(text: string): string {
  return text.trim().split('\n').filter((l) => l.trim() !== '').pop()?.trim() ?? '';
}

/** Downloads python.org's tarball to `dest`. Throws (any error) when python.org is not reachable in time. */
async function downloadFromPythonOrg(version: string, v: ParsedVersion, dest: string, options: ObtainOptions): Promise<void> {
  const base = options.pythonOrgBase ?? 'https://www.python.org/ftp/python';
  const url = `${base}/${v.major}.${v.minor}.${v.micro}/Python-${version}.tar.xz`;
  const log = options.log ?? defaultLog;
  log(`Downloading ${url} …`);
  // The connect timeout only applies until the response headers arrive; the whole download has a longer cap.
  // (AbortSignal.any would combine them, but needs Node >= 20.3.)
  const connect = AbortSignal.timeout(PYTHON_ORG_CONNECT_TIMEOUT_MS);
  const whole = AbortSignal.timeout(PYTHON_ORG_DOWNLOAD_TIMEOUT_MS);
  const controller = new AbortController();
  const signal = controller.signal;
  let answered = false;
  const onConnectTimeout = (): void => {
    if (!answered) controller.abort(new Error(`no answer within ${PYTHON_ORG_CONNECT_TIMEOUT_MS / 1000} s`));
  };
  const onWholeTimeout = (): void => controller.abort(new Error(`download not finished within ${PYTHON_ORG_DOWNLOAD_TIMEOUT_MS / 60_000} min`));
  connect.addEventListener('abort', onConnectTimeout, { once: true });
  whole.addEventListener('abort', onWholeTimeout, { once: true });
  try {
    const response = await fetch(url, { signal, redirect: 'follow' });
    answered = true;
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    const part = `${dest}.part-${process.pid}`;
    try {
      await pipeline(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), createWriteStream(part));
      await rename(part, dest);
    } catch (err) {
      await rm(part, { force: true });
      throw err;
    }
  } catch (err) {
    if (signal.aborted && signal.reason instanceof Error) throw signal.reason;
    throw err;
  } finally {
    connect.removeEventListener('abort', onConnectTimeout);
    whole.removeEventListener('abort', onWholeTimeout);
  }
}

/** Debian's upstream-version spelling of a CPython version: 3.14.0rc1 -> 3.14.0~rc1. */
function debianUpstream(v: ParsedVersion): string {
  return `${v.major}.${v.minor}.${v.micro}${v.pre ? `~${v.pre}` : ''}`;
}

/** The upstream part of a Debian version: epoch and revision removed ("1:3.13.15-1" -> "3.13.15"). */
export function upstreamOf(debianVersion: string): string {
  const noEpoch = debianVersion.replace(/^\d+:/, '');
  const dash = noEpoch.lastIndexOf('-');
  return dash === -1 ? noEpoch : noEpoch.slice(0, dash);
}

/** `Version:` values of the `Package: <pkg>` records in `apt-cache showsrc` output, in order, without duplicates. */
export function parseShowsrcVersions(output: string, pkg: string): string[] {
  const versions: string[] = [];
  for (const record of output.split(/\n\s*\n/)) {
    const name = /^Package:\s*(\S+)/m.exec(record)?.[1];
    const version = /^Version:\s*(\S+)/m.exec(record)?.[1];
    if (name === pkg && version && !versions.includes(version)) versions.push(version);
  }
  return versions;
}

/** Fetches Debian's source package of `version` and moves its orig tarball to `dest` (its extension may differ). */
async function downloadFromDebian(version: string, v: ParsedVersion, cacheDir: string, options: ObtainOptions): Promise<string> {
  const log = options.log ?? defaultLog;
  const env = { ...(options.env ?? process.env), LC_ALL: 'C' };
  const pkg = `python${v.major}.${v.minor}`;
  const setupHint = `add deb-src entries for Debian (bookworm, trixie, sid) and run apt-get update, e.g. ${installScriptHint()}`;
  const aptHint = `python.org was not reachable and apt is needed for the fallback; ${setupHint}`;
  const show = await runTool('apt-cache', ['showsrc', pkg], { env, hint: aptHint });
  const listed = parseShowsrcVersions(show.stdout, pkg);
  const wanted = debianUpstream(v);
  const matches = listed.filter((dv) => upstreamOf(dv) === wanted);
  if (matches.length === 0) {
    const upstreams = [...new Set(listed.map(upstreamOf))].join(', ');
    const what = listed.length
      ? `apt lists source versions ${listed.join(', ')}, none of them CPython ${version}; pick one of ${upstreams} with --cpython-version, or ${setupHint}`
      : `apt lists no source package (no deb-src entries, or not updated: ${lastLine(show.stderr) || 'no output'}); ${setupHint}`;
    throw new CpmError(`${what} (python.org was not reachable)`, { file: `apt-cache showsrc ${pkg}`, exitCode: ExitCode.toolFailed });
  }
  // Every Debian revision of one upstream version carries the same orig tarball; take the first listed.
  const debVersion = matches[0] ?? '';
  await mkdir(cacheDir, { recursive: true });
  const work = await mkdtemp(path.join(cacheDir, 'apt-source-'));
  try {
    log(`Downloading Debian source package ${pkg}=${debVersion} (apt-get source --download-only) …`);
    const got = await runTool('apt-get', ['source', '--download-only', `${pkg}=${debVersion}`], { cwd: work, env, hint: aptHint });
    if (got.status !== 0) {
      throw new CpmError(`\`apt-get source --download-only ${pkg}=${debVersion}\` failed (exit ${got.status}): ${lastLine(got.stderr) || lastLine(got.stdout)}`, {
        file: 'apt-get',
        exitCode: ExitCode.toolFailed,
      });
    }
    const orig = (await readdir(work)).filter((f) => /\.orig\.tar\.(xz|gz|bz2)$/.test(f)).sort()[0];
    if (!orig) {
      throw new CpmError(`apt-get source ${pkg}=${debVersion} downloaded no *.orig.tar.* tarball`, { file: work, exitCode: ExitCode.toolFailed });
    }
    const ext = /\.orig(\.tar\.(?:xz|gz|bz2))$/.exec(orig)?.[1] ?? '.tar.xz';
    const dest = path.join(cacheDir, 'downloads', `Python-${version}${ext}`);
    await mkdir(path.dirname(dest), { recursive: true });
    await rename(path.join(work, orig), dest);
    return dest;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

function defaultLog(line: string): void {
  process.stderr.write(`${line}\n`);
}

/**
 * Returns the path of the release tarball of `version` in the cache, downloading it (python.org
 * first, then Debian's source package) when the cache does not hold it.
 */
export async function obtainTarball(version: string = DEFAULT_CPYTHON_VERSION, cacheDir: string = defaultCacheDir(), options: ObtainOptions = {}): Promise<string> {
  const v = parseVersion(version);
  const kept = tarballPath(version, cacheDir);
  if (existsSync(kept)) return kept;
  const log = options.log ?? defaultLog;
  const downloads = path.join(cacheDir, 'downloads');
  try {
    await mkdir(downloads, { recursive: true });
  } catch (err) {
    throw new CpmError(`cannot create the cache directory: ${errMessage(err)}; set CPYTHON_MESON_CACHE to a writable directory`, {
      file: downloads,
      exitCode: ExitCode.refused,
    });
  }
  try {
    await downloadFromPythonOrg(version, v, kept, options);
    return kept;
  } catch (err) {
    log(`python.org not reachable (${errMessage(err)}); falling back to Debian's source package`);
  }
  return downloadFromDebian(version, v, cacheDir, options);
}

/**
 * Returns the path of a pristine unpacked CPython `version` tree, <cacheDir>/Python-<version>,
 * reusing it when its Include/patchlevel.h has the right PY_VERSION. The tarball stays in the
 * cache (see tarballPath).
 */
export async function obtainCPython(version: string = DEFAULT_CPYTHON_VERSION, cacheDir: string = defaultCacheDir(), options: ObtainOptions = {}): Promise<string> {
  parseVersion(version);
  const tree = sourceTreePath(version, cacheDir);
  if (isCPythonTree(tree, version)) return tree;
  const log = options.log ?? defaultLog;
  const tarball = await obtainTarball(version, cacheDir, options);
  log(`Unpacking ${tarball} …`);
  const tmp = await mkdtemp(path.join(cacheDir, 'unpack-'));
  try {
    const untar = await runTool('tar', ['-xf', tarball, '-C', tmp], { hint: 'apt-get install tar xz-utils' });
    if (untar.status !== 0) {
      // A damaged download must not be reused.
      await rm(tarball, { force: true });
      throw new CpmError(`\`tar -xf\` failed (exit ${untar.status}): ${lastLine(untar.stderr)}; the tarball was removed, run again to download it anew`, {
        file: tarball,
        exitCode: ExitCode.toolFailed,
      });
    }
    const top = await readdir(tmp);
    const only = top.length === 1 ? top[0] : undefined;
    const unpacked = only ? path.join(tmp, only) : tmp;
    if (!isCPythonTree(unpacked, version)) {
      throw new CpmError(`does not unpack to a CPython ${version} tree (expected Python-${version}/Include/patchlevel.h with PY_VERSION "${version}")`, {
        file: tarball,
        exitCode: ExitCode.toolFailed,
      });
    }
    // Another process may have unpacked the same version meanwhile; a partial tree is replaced.
    if (!isCPythonTree(tree, version)) {
      await rm(tree, { recursive: true, force: true });
      try {
        await rename(unpacked, tree);
      } catch (err) {
        if (!isCPythonTree(tree, version)) throw err;
      }
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  log(`CPython ${version} source: ${tree}`);
  return tree;
}
