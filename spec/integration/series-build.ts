// Builds of the other built-and-tested series (3.11; 3.14 when CPYTHON_314_SRC names a tree):
// a work copy of the pristine tree, generate, meson setup --fatal-meson-warnings, ninja. One build
// per series and process.
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { defaultCacheDir, obtainCPython } from '../../generator/util/cpython-source.js';
import { cli, run, type Built } from './shared.js';

const cache = process.env.CPYTHON_MESON_CACHE ?? defaultCacheDir();
const builds = new Map<string, Built>();

/** The pristine tree: $<envName> when set, else obtained (python.org or Debian's source package) into the cache. */
export async function pristine(version: string, envName: string): Promise<string> {
  const env = process.env[envName];
  if (env) {
    if (!existsSync(path.join(env, 'Include/patchlevel.h'))) throw new Error(`${envName}=${env} is not a CPython source tree`);
    return env;
  }
  return obtainCPython(version, cache);
}

/** generate + meson setup + ninja on a work copy of `src` (never the pristine tree). */
export function buildSeries(label: string, src: string): Built {
  const done = builds.get(label);
  if (done) return done;
  const work = path.join(cache, 'work', `Python-${label}-src`);
  if (!existsSync(path.join(work, 'Include/patchlevel.h'))) {
    mkdirSync(path.dirname(work), { recursive: true });
    cpSync(src, work, { recursive: true });
  }
  const build = path.join(cache, 'work', `build-${label}`);
  const gen = run(process.execPath, [cli, 'generate', work]);
  if (gen.status !== 0) throw new Error(`generate failed:\n${gen.stdout}\n${gen.stderr}`);
  const options = ['--buildtype=release', '-Dextensions=builtin', '-Dprefer_static=true'];
  const t0 = Date.now();
  const setup = run(
    'meson',
    existsSync(path.join(build, 'build.ninja'))
      ? ['setup', '--reconfigure', '--fatal-meson-warnings', ...options, build, work]
      : ['setup', '--fatal-meson-warnings', ...options, build, work],
  );
  if (setup.status !== 0) throw new Error(`meson setup failed:\n${setup.stdout.slice(-6000)}\n${setup.stderr}`);
  const t1 = Date.now();
  const ninja = run('ninja', ['-C', build]);
  if (ninja.status !== 0) throw new Error(`ninja failed:\n${ninja.stdout.slice(-8000)}\n${ninja.stderr}`);
  const t2 = Date.now();
  const built: Built = { src: work, build, python: path.join(build, 'python'), setupSeconds: (t1 - t0) / 1000, buildSeconds: (t2 - t1) / 1000 };
  builds.set(label, built);
  return built;
}
