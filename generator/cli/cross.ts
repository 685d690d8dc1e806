// `cpython-meson build --cross <target>`: the cross files shipped in meson-templates/cross/, what
// each target needs installed, and the checks that turn a missing toolchain into one line naming
// the package. The cross file owns the toolchain (its [binaries]); this module reads it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpmError, ExitCode } from '../errors.js';

/** <repo>/meson-templates/cross, from dist/generator/cli/. */
export const crossDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../meson-templates/cross');

export interface CrossTarget {
  /** Debian packages of the compiler and the C library (the sysroot). */
  toolchain: string;
  /** A file of the C library's headers: its absence means the sysroot is missing. */
  sysrootProbe: string;
  /** Debian package of the exe wrapper. */
  wrapper: string;
  /** The dynamic loader the wrapper runs the target's programs with, and its Debian package. */
  runtimeProbe: string;
  runtime: string;
  /** What installs all of it. */
  installer: string;
}

/** The targets docs/cross.md describes, by the name of their cross file. */
export const CROSS_TARGETS: Readonly<Record<string, CrossTarget>> = {
  'aarch64-linux-gnu': {
    toolchain: 'gcc-aarch64-linux-gnu',
    sysrootProbe: '/usr/aarch64-linux-gnu/include/stdio.h',
    wrapper: 'qemu-user',
    runtimeProbe: '/lib/ld-linux-aarch64.so.1',
    runtime: 'libc6:arm64 (dpkg --add-architecture arm64)',
    installer: '.ci/install-cross-deps.sh',
  },
};

/** The [binaries] of a Meson machine file: name -> command words (a string or an array of strings). */
export function crossBinaries(text: string, file: string): Map<string, string[]> {
  const binaries = new Map<string, string[]>();
  let section = '';
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/^\s+|\s+$/g, '');
    if (line === '' || line.startsWith('#')) return;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1] ?? '';
      return;
    }
    if (section !== 'binaries') return;
    const m = /^([\w.-]+)\s*=\s*(.+)$/.exec(line);
    if (!m) throw new CpmError(`line ${i + 1}: expected name = 'command' or name = ['word', ...] in [binaries]`, { file });
    const value = m[2] ?? '';
    const words = [...value.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((w) => w[1] ?? '');
    if (words.length === 0 || !/^(\[.*\]|'.*')$/.test(value)) {
      throw new CpmError(`line ${i + 1}: expected name = 'command' or name = ['word', ...] in [binaries]`, { file });
    }
    binaries.set(m[1] ?? '', words);
  });
  return binaries;
}

/** The first PATH entry holding an executable `name` (or `name` itself when it has a slash). */
export function onPath(name: string, env: NodeJS.ProcessEnv): string | null {
  if (name.includes('/')) return existsSync(name) ? name : null;
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

export interface ResolvedCross {
  target: string;
  file: string;
  /** The exe wrapper's words, or null when the cross file has none or it is not installed. */
  exeWrapper: string[] | null;
  /** Lines to print (a missing wrapper: the build works, the tests are skipped). */
  notes: string[];
}

/**
 * The cross file of `target`, checked against the machine: the compiler and the C library must be
 * there (else one line naming the package and the installer), the exe wrapper should be.
 */
export function resolveCross(target: string, env: NodeJS.ProcessEnv, dir = crossDir, targets = CROSS_TARGETS): ResolvedCross {
  const known = Object.keys(targets).sort();
  const info = targets[target];
  const file = path.join(dir, `${target}.ini`);
  if (!info || !existsSync(file)) {
    throw new CpmError(`unknown cross target ${JSON.stringify(target)}; the shipped cross files (meson-templates/cross/) are: ${known.join(', ')}`, { file: '--cross', exitCode: ExitCode.badInput });
  }
  const binaries = crossBinaries(readFileSync(file, 'utf8'), file);
  const cc = binaries.get('c')?.[0];
  if (!cc) throw new CpmError('[binaries] has no c entry', { file });
  if (!onPath(cc, env)) {
    throw new CpmError(`the cross compiler ${cc} is not on PATH: install Debian's ${info.toolchain} (or run ${info.installer})`, { file: '--cross', exitCode: ExitCode.toolFailed });
  }
  if (!existsSync(info.sysrootProbe)) {
    throw new CpmError(`no C library for ${target} (${info.sysrootProbe} is missing): install Debian's ${info.toolchain} with its libc (or run ${info.installer})`, { file: '--cross', exitCode: ExitCode.toolFailed });
  }
  const wrapper = binaries.get('exe_wrapper') ?? null;
  const notes: string[] = [];
  let exeWrapper: string[] | null = wrapper;
  if (wrapper === null) {
    notes.push(`${path.basename(file)} has no exe_wrapper: the interpreter is built but not run, and meson test skips its tests`);
  } else if (!onPath(wrapper[0] ?? '', env)) {
    notes.push(`the exe wrapper ${wrapper[0] ?? ''} is not on PATH (install Debian's ${info.wrapper}): the interpreter is built but not run`);
    exeWrapper = null;
  } else if (!existsSync(info.runtimeProbe)) {
    // The wrapper would run the configure checks' programs and fail: wrong answers, not a skip.
    throw new CpmError(`${wrapper[0] ?? ''} cannot run ${target} programs without ${info.runtimeProbe}: install Debian's ${info.runtime} (or run ${info.installer})`, { file: '--cross', exitCode: ExitCode.toolFailed });
  }
  return { target, file, exeWrapper, notes };
}
