// `cpython-meson dist <builddir>`: the command line of dist.ts.
import { parseArgs, usageError, type CliDeps, type CommandText } from '../cli/shared.js';
import { ExitCode } from '../errors.js';
import { packageVersion } from '../util/package.js';

export async function cmdDist(args: readonly string[], deps: CliDeps, command: CommandText): Promise<number> {
  const a = parseArgs(command.usage, args, { flags: ['--force'], values: ['--out', '--archive'], defines: false });
  if (a.help) {
    deps.out(command.help());
    return ExitCode.ok;
  }
  if (a.positionals.length === 0) throw usageError(command.usage, 'missing <builddir>');
  if (a.positionals.length > 1) throw usageError(command.usage, `unexpected argument ${JSON.stringify(a.positionals[1])}`);
  const archive = a.values.get('--archive') ?? 'auto';
  if (archive !== 'auto' && archive !== 'zst' && archive !== 'gz' && archive !== 'none') {
    throw usageError(command.usage, `--archive expects auto, zst, gz or none, got ${JSON.stringify(archive)}`);
  }
  const { runDist } = await import('./dist.js');
  await runDist(
    { builddir: a.positionals[0] ?? '', out: a.values.get('--out') ?? 'dist', archive, force: a.flags.has('--force') },
    { out: deps.out, err: deps.err, env: deps.env, cwd: deps.cwd, generator: `cpython-meson ${packageVersion()}` },
  );
  return ExitCode.ok;
}
