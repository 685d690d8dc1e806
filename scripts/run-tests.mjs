#!/usr/bin/env node
// Runs the uvu suites compiled into dist/spec and ends with the line CI reads:
//   N passed, N failed, N skipped
// `--unit` runs only the unit suites (spec/*.test.ts); by default the integration suites
// (spec/integration/*.test.ts, which build CPython) run too.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const uvuBin = path.join(root, 'node_modules', 'uvu', 'bin.js');
const unitOnly = process.argv.includes('--unit');
const args = [uvuBin, 'dist/spec', '\\.test\\.js$'];
if (unitOnly) args.push('-i', 'integration');

const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
let out = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  out += chunk.toString();
});
child.on('close', (code) => {
  // uvu prints "Total: N", "Passed: N", "Skipped: N" (possibly with ANSI colours).
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const num = (label) => {
    const m = plain.match(new RegExp(`${label}:\\s+(\\d+)`));
    return m ? Number(m[1]) : 0;
  };
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped');
  let failed = Math.max(0, total - passed - skipped);
  if (code !== 0 && failed === 0) failed = 1; // a suite crashed before reporting
  console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
