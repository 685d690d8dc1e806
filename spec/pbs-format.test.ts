// The field list of python-build-standalone's PYTHON.json format 8 (generator/dist/pbs-format.ts)
// and its validator: what serde with deny_unknown_fields accepts and rejects.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BUILD_INFO, checkSpec, EXTENSION_INFO, LINK_ENTRY, pathsNamed, PYTHON_JSON, validatePbsPythonJson, type Spec } from '../generator/dist/pbs-format.js';

/** The smallest PYTHON.json format 8 admits: every required key, no optional one. */
function minimal(): Record<string, unknown> {
  return {
    version: '8',
    target_triple: 'x86_64-unknown-linux-gnu',
    optimizations: 'noopt',
    build_options: 'noopt',
    crt_features: ['glibc-dynamic'],
    libpython_link_mode: 'static',
    python_bytecode_magic_number: 'f30d0d0a',
    python_config_vars: { SOABI: 'cpython-313-x86_64-linux-gnu' },
    python_exe: 'install/bin/python3.13',
    python_extension_module_loading: ['builtin'],
    python_implementation_cache_tag: 'cpython-313',
    python_implementation_hex_version: 51187696,
    python_implementation_name: 'cpython',
    python_implementation_version: ['3', '13', '15', 'final', '0'],
    python_major_minor_version: '3.13',
    python_paths_abstract: { stdlib: '{installed_base}/{platlibdir}/python{py_version_short}' },
    python_paths: { stdlib: 'install/lib/python3.13' },
    python_platform_tag: 'linux-x86_64',
    python_stdlib_test_packages: ['test'],
    python_suffixes: { bytecode: ['.pyc'], debug_bytecode: ['.pyc'], extension: ['.so'], optimized_bytecode: ['.pyc'], source: ['.py'] },
    python_symbol_visibility: 'global-default',
    python_tag: 'cp313',
    python_version: '3.13.15',
    run_tests: 'build/run_tests.py',
    build_info: {
      core: { objs: ['build/a.o'], links: [{ name: 'm', system: true }] },
      extensions: {
        _ssl: [{ in_core: false, init_fn: 'PyInit__ssl', links: [{ name: 'ssl', path_static: 'build/lib/libssl.a' }], objs: ['build/_ssl.o'], required: false, variant: 'default' }],
      },
      inittab_object: 'build/config.o',
      inittab_source: 'build/config.c',
      inittab_cflags: ['-O3'],
      object_file_format: 'elf',
    },
  };
}

type Obj = Record<string, unknown>;
const clone = (): Obj => JSON.parse(JSON.stringify(minimal())) as Obj;
const bi = (j: Obj): Obj => j.build_info as Obj;
const ssl = (j: Obj): Obj => ((bi(j).extensions as Obj)._ssl as Obj[])[0] as Obj;

test('the field list is python-build-standalone src/json.rs: 35 top-level keys, 25 of them required', () => {
  const fields = (PYTHON_JSON as { fields: Record<string, { optional?: true }> }).fields;
  assert.is(Object.keys(fields).length, 35);
  assert.is(Object.values(fields).filter((f) => !f.optional).length, 25);
  const names = (s: Spec) => Object.keys((s as { fields: object }).fields).sort();
  assert.equal(names(BUILD_INFO), ['core', 'extensions', 'inittab_cflags', 'inittab_object', 'inittab_source', 'object_file_format']);
  assert.equal(names(EXTENSION_INFO), ['in_core', 'init_fn', 'license_paths', 'license_public_domain', 'licenses', 'links', 'objs', 'required', 'shared_lib', 'static_lib', 'variant']);
  assert.equal(names(LINK_ENTRY), ['framework', 'name', 'path_dynamic', 'path_static', 'system']);
});

test('a file with every required key and nothing else reads; optional keys may be absent or null', () => {
  assert.equal(validatePbsPythonJson(minimal()), []);
  const j = clone();
  j.tcl_library_path = null;
  j.licenses = ['Python-2.0'];
  j.license_path = 'licenses/LICENSE.cpython.txt';
  Object.assign(ssl(j), { licenses: ['Apache-2.0'], license_paths: [], static_lib: null, shared_lib: 'install/x.so' });
  assert.equal(validatePbsPythonJson(j), []);
});

test('unknown keys are rejected at every level (serde deny_unknown_fields)', () => {
  const top = clone();
  top.os = 'linux';
  assert.equal(validatePbsPythonJson(top), ['PYTHON.json: unknown field "os" (PythonJsonMain denies unknown fields)']);
  const info = clone();
  bi(info).main_object = 'build/python.o';
  assert.match(validatePbsPythonJson(info).join('\n'), /PYTHON\.json\.build_info: unknown field "main_object"/);
  const ext = clone();
  ssl(ext).builtin = true;
  assert.match(validatePbsPythonJson(ext).join('\n'), /build_info\.extensions\._ssl\[0\]: unknown field "builtin"/);
  const link = clone();
  ((ssl(link).links as Obj[])[0] as Obj).bundled = true;
  assert.match(validatePbsPythonJson(link).join('\n'), /_ssl\[0\]\.links\[0\]: unknown field "bundled" \(LinkEntry/);
});

test('missing required keys and wrong types are named with their place', () => {
  const j = clone();
  delete j.crt_features;
  delete ssl(j).init_fn;
  j.python_implementation_hex_version = '0x30d0ff0';
  (j.python_config_vars as Obj).Py_DEBUG = 0;
  (bi(j).core as Obj).objs = 'build/a.o';
  ssl(j).in_core = 'false';
  assert.equal(validatePbsPythonJson(j).sort(), [
    'PYTHON.json.build_info.core.objs: expected an array, got string',
    'PYTHON.json.build_info.extensions._ssl[0].in_core: expected a boolean, got string',
    'PYTHON.json.python_config_vars.Py_DEBUG: expected a string, got number',
    'PYTHON.json.python_implementation_hex_version: expected a non-negative integer, got string',
    'PYTHON.json.build_info.extensions._ssl[0]: missing field "init_fn"',
    'PYTHON.json: missing field "crt_features"',
  ].sort());
  assert.equal(checkSpec(-1, 'u64', 'x'), ['x: expected a non-negative integer, got number']);
  assert.equal(checkSpec(null, 'string', 'x'), ['x: expected a string, got null']);
});

test('content rules of validate_json: version 8, the platform tag of the triple, the suffix keys', () => {
  const j = clone();
  j.version = '1';
  j.python_platform_tag = 'linux_x86_64';
  delete (j.python_suffixes as Obj).debug_bytecode;
  assert.equal(validatePbsPythonJson(j), [
    'PYTHON.json.version: expected "8", got "1"',
    'PYTHON.json.python_platform_tag: x86_64-unknown-linux-gnu wants linux-x86_64, got linux_x86_64',
    'PYTHON.json.python_suffixes: missing debug_bytecode',
  ]);
  const k = clone();
  k.target_triple = 'x86_64-pc-linux-gnu';
  assert.equal(validatePbsPythonJson(k), ['PYTHON.json.target_triple: x86_64-pc-linux-gnu is not a target triple python-build-standalone knows']);
});

test('pathsNamed lists every file and directory a PYTHON.json points into', () => {
  assert.equal(pathsNamed(minimal()), [
    'build/_ssl.o',
    'build/a.o',
    'build/config.c',
    'build/config.o',
    'build/lib/libssl.a',
    'build/run_tests.py',
    'install/bin/python3.13',
    'install/lib/python3.13',
  ]);
});

test.run();
