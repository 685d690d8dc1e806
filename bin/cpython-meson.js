#!/usr/bin/env node
// Launcher: runs the compiled CLI (dist/ is built by `npm run build`, and by `npm ci` via "prepare").
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const mainUrl = new URL('../dist/generator/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(mainUrl))) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  process.stderr.write(`cpython-meson: ${fileURLToPath(mainUrl)}: not built; run \`npm run build\` in ${root}\n`);
  process.exit(4);
}
// A closed stdout (e.g. `cpython-meson --help | head -1`) is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
let cli;
try {
  cli = await import(mainUrl.href);
} catch (err) {
  const first = String(err instanceof Error ? err.message : err).split('\n')[0];
  process.stderr.write(`cpython-meson: ${first} (internal error; set CPYTHON_MESON_DEBUG=1 for a stack trace)\n`);
  if (process.env.CPYTHON_MESON_DEBUG === '1' && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(70);
}
process.exit(await cli.main(process.argv.slice(2)));
