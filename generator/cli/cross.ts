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
  /** The compiler to look for on PATH when [binaries] c starts with a wrapper script (default: its first word). */
  compiler?: string;
  /** Other files the toolchain needs (the linker, the compiler runtime), each with its Debian package. */
  probes?: { file: string; package: string }[];
  /** The interpreter's file name in the build dir (configure's EXEEXT): python, or python.wasm. */
  interpreter?: string;
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
  'wasm32-wasi': {
    toolchain: 'clang-16',
    compiler: 'clang-16',
    probes: [
      { file: '/usr/bin/wasm-ld-16', package: 'lld-16' },
      { file: '/usr/bin/llvm-ar-16', package: 'llvm-16' },
      { file: '/usr/lib/llvm-16/lib/clang/16/lib/wasi/libclang_rt.builtins-wasm32.a', package: 'libclang-rt-16-dev-wasm32' },
    ],
    sysrootProbe: '/usr/include/wasm32-wasi/stdio.h',
    // Node's built-in WASI (node:wasi, Node.js >= 20) through wasi-run.mjs beside the cross file.
    wrapper: 'nodejs',
    runtimeProbe: '/usr/lib/wasm32-wasi/libc.a',
    runtime: 'wasi-libc',
    installer: '.ci/install-cross-deps.sh',
    interpreter: 'python.wasm',
  },
};

/**
 * The [binaries] of a Meson machine file: name -> command words (a string or an array of strings,
 * which may span lines). A word may be '@DIRNAME@' / 'name', Meson's path of a file beside the
 * machine file.
 */
export function crossBinaries(text: string, file: string): Map<string, string[]> {
  const binaries = new Map<string, string[]>();
  let section = '';
  const lines = text.split('\n');
  const bad = (i: number): CpmError => new CpmError(`line ${i + 1}: expected name = 'command' or name = ['word', ...] in [binaries]`, { file });
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/^\s+|\s+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([^\]]+)\]$/.exec(line);
    if (header) {
      section = header[1] ?? '';
      continue;
    }
    if (section !== 'binaries') continue;
    const m = /^([\w.-]+)\s*=\s*(.+)$/.exec(line);
    if (!m) throw bad(i);
    const start = i;
    let value = m[2] ?? '';
    // An array continues until its closing bracket.
    while (value.startsWith('[') && !value.endsWith(']') && i + 1 < lines.length) value += (lines[++i] ?? '').trim();
    // Tokens: quoted strings, and the brackets, commas and / (path join) between them.
    const tokens = value.match(/'(?:[^'\\]|\\.)*'|[[\],/]|\S/g) ?? [];
    const isList = tokens[0] === '[' && tokens[tokens.length - 1] === ']';
    const inner = isList ? tokens.slice(1, -1) : tokens;
    const words: string[] = [];
    let parts: string[] = [];
    let expectString = true;
    const flush = (): void => {
      if (parts.length > 0) words.push(path.join(...parts));
      parts = [];
    };
    for (const t of inner) {
      if (expectString) {
        if (!t.startsWith("'")) throw bad(start);
        const text = t.slice(1, -1);
        parts.push(text === '@DIRNAME@' ? path.dirname(file) : text);
        expectString = false;
      } else if (t === '/') {
        expectString = true;
      } else if (t === ',' && isList) {
        flush();
        expectString = true;
      } else {
        throw bad(start);
      }
    }
    // A list may end with a comma; anything else must end with a string.
    if (expectString && !(isList && parts.length === 0 && words.length > 0)) throw bad(start);
    flush();
    if (words.length === 0) throw bad(start);
    binaries.set(m[1] ?? '', words);
  }
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
  /** The interpreter's file name in the build dir (CrossTarget.interpreter). */
  interpreter: string;
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
  const cc = info.compiler ?? binaries.get('c')?.[0];
  if (!cc) throw new CpmError('[binaries] has no c entry', { file });
  if (!onPath(cc, env)) {
    throw new CpmError(`the cross compiler ${cc} is not on PATH: install Debian's ${info.toolchain} (or run ${info.installer})`, { file: '--cross', exitCode: ExitCode.toolFailed });
  }
  for (const probe of info.probes ?? []) {
    if (!existsSync(probe.file)) {
      throw new CpmError(`${probe.file} is missing: install Debian's ${probe.package} (or run ${info.installer})`, { file: '--cross', exitCode: ExitCode.toolFailed });
    }
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
  return { target, file, interpreter: info.interpreter ?? 'python', exeWrapper, notes };
}

/** The cross files `meson setup` recorded for a build dir (meson-private/cmd_line.txt); [] for a native build. */
export function recordedCrossFiles(buildDir: string): string[] {
  const cmdLine = path.join(buildDir, 'meson-private', 'cmd_line.txt');
  const text = existsSync(cmdLine) ? readFileSync(cmdLine, 'utf8') : '';
  const list = /^cross_file = (\[.*\])$/m.exec(text)?.[1];
  if (list === undefined) return [];
  return [...list.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((m) => path.resolve(buildDir, m[1] ?? ''));
}
