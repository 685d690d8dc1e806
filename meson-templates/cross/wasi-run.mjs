#!/usr/bin/env node
// Runs a WASI (preview1) program under Node's built-in WASI: the exe_wrapper of wasm32-wasi.ini
// (meson-templates/cross/wasi-run.mjs in cpython-meson; docs/cross.md). Meson runs the build's
// test programs (pyconfig's run checks, `meson test`) through it, and so can a person:
//
//   node wasi-run.mjs <builddir>/python.wasm -c 'print("hello")'
//
// - The host's / is the guest's / (a preopened directory), so absolute paths mean the same on
//   both sides: python.wasm finds pybuilddir.txt next to itself and the stdlib in the checkout,
//   as in a native build tree. Relative paths start at / (wasi-libc's initial working
//   directory), as under CPython's own wasmtime runner.
// - argv[0] is the module's absolute path; the environment is the caller's.
// - The module runs in a worker thread with a 64 MiB stack: CPython on WASI allows 5000 nested
//   C calls (Py_C_RECURSION_LIMIT, sized for wasmtime's 8 MiB --max-wasm-stack), which overflow
//   the 1 MiB V8 gives the main thread.
// - The exit status is the module's.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';

// node:wasi is still marked experimental: its warning would land in every program's stderr.
process.removeAllListeners('warning');

const STACK_MB = 64;

if (isMainThread) {
  const [file, ...args] = process.argv.slice(2);
  if (file === undefined || file === '-h' || file === '--help') {
    process.stderr.write('usage: node wasi-run.mjs <module.wasm> [argument ...]\n');
    process.exit(file === undefined ? 2 : 0);
  }
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { file: resolve(file), args },
    resourceLimits: { stackSizeMb: STACK_MB },
    // The module writes to the process's own file descriptors; the worker's streams stay unused.
    stdout: false,
    stderr: false,
  });
  worker.on('message', (code) => {
    process.exitCode = code;
  });
  worker.on('error', (err) => {
    process.stderr.write(`wasi-run: ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
} else {
  const { WASI } = await import('node:wasi');
  const { file, args } = workerData;
  let bytes;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new Error(`cannot read the module: ${err.message}`);
  }
  const wasi = new WASI({
    version: 'preview1',
    args: [file, ...args],
    env: process.env,
    preopens: { '/': '/' },
    returnOnExit: true,
  });
  const module = await WebAssembly.compile(bytes);
  const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
  parentPort.postMessage(wasi.start(instance));
}
