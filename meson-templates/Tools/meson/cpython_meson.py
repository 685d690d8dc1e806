#!/usr/bin/env python3
"""Small build steps Meson cannot express, run by the Python that runs Meson (>= 3.7).

The CPython being built is never needed to run these.

Subcommands:
  config-c IN OUT MODULE...      Modules/config.c from config.c.in, as makesetup writes it.
  write OUT [LINE...]            Write the LINEs, each with a newline (or nothing), to OUT if it
                                 changed.
  sysconfigdata OUT PYCONFIG_H KEY=VALUE|--vars=FILE...
                                 _sysconfigdata_*.py: pyconfig.h's macros plus the given vars
                                 (FILE: one KEY=VALUE a line).
  script IN OUT PYTHON           IN with its #! line replaced by a relocatable one that runs
                                 PYTHON (a path relative to OUT's installed directory).
  dist-info OUT ITEM...          JSON for `cpython-meson dist`: what Meson's introspection lacks
                                 (which module is which target, its libraries and licenses).
  compileall PYTHON LIBDEST      (install script) byte-compile the installed stdlib.
  makefile OUT MAKEFILE_PRE_IN KEY=VALUE|--vars=FILE...
                                 The Makefile sysconfig reads (get_makefile_filename()): the same
                                 variables as _sysconfigdata, as configure's Makefile spells them,
                                 plus Makefile.pre.in's (XML)LIBSUBDIRS and TESTSUBDIRS as they are.
  regrtest-tests LIBTEST         The test names `python -m test` runs by default, one a line
                                 (libregrtest's findtests(), read from the checkout).
  regrtest PYTHON ARG...         Run PYTHON ARG... with the PYTHON* variables removed from the
                                 environment (what `meson test` runs for each test of Lib/test);
                                 in a cross build through the exe wrapper Meson names in
                                 MESON_EXE_WRAPPER, with gcc and cc on PATH running the cross
                                 compiler of CPYTHON_MESON_TARGET_CC.
  stdlib-zip OUT DEPFILE PYTHON SRCDIR CODE_PREFIX deflate|store [FILE=ARCNAME...]
                                 (-Dstdlib=embedded) the stdlib archive: Lib/*.py and the files of
                                 Makefile.pre.in's LIBSUBDIRS (what make install installs without
                                 the tests), each .py with its .pyc (unchecked-hash, compiled by
                                 PYTHON, the interpreter being built, with co_filename
                                 CODE_PREFIX/<name>; stored), plus the FILEs; the rest deflated
                                 or stored; sorted, fixed timestamps.
  zipimport-module OUT           (-Dstdlib=embedded) _cpython_meson_zipimport.py, which the archive
                                 carries: ZIPIMPORT_MODULE below.
  append-stdlib EXE ZIP OUT PYTHON [STRIP]
                                 OUT = EXE (stripped first by the STRIP program if given), the
                                 archive's zipimport directory table (read by PYTHON, the
                                 interpreter being built), ZIP: the single-file executable.
"""
import ast
import json
import os
import pprint
import re
import sys

MARKER1 = '/* -- ADDMODULE MARKER 1 -- */'
MARKER2 = '/* -- ADDMODULE MARKER 2 -- */'


def write_if_changed(path, text, mode=None):
    """Write text to path unless it is there already; through a file private to this process and
    a rename, since Meson tests that call this run in parallel. mode: chmod it (scripts)."""
    try:
        with open(path, encoding='utf-8') as f:
            if f.read() == text:
                return
    except FileNotFoundError:
        pass
    tmp = '{}.{}.tmp'.format(path, os.getpid())
    with open(tmp, 'w', encoding='utf-8') as f:
        f.write(text)
    if mode is not None:
        os.chmod(tmp, mode)
    os.replace(tmp, path)


def config_c(src, out, modules):
    with open(src, encoding='utf-8') as f:
        text = f.read()
    if MARKER1 not in text or MARKER2 not in text:
        sys.exit(f'{src}: expected the ADDMODULE MARKER 1 and 2 comments of config.c.in')
    externs = ''.join(f'extern PyObject* PyInit_{m}(void);\n' for m in modules)
    entries = ''.join(f'    {{"{m}", PyInit_{m}}},\n' for m in modules)
    text = text.replace(MARKER1, externs + '\n' + MARKER1, 1)
    text = text.replace(MARKER2, entries + '\n' + MARKER2, 1)
    write_if_changed(out, text)


def parse_config_h(path):
    """The macros of pyconfig.h, as sysconfig.parse_config_h reads them."""
    define = re.compile(r'#define ([A-Za-z0-9_]+) (.*)\n')
    undef = re.compile(r'/[*] #undef ([A-Za-z0-9_]+) [*]/\n')
    values = {}
    with open(path, encoding='utf-8') as f:
        for line in f:
            m = define.match(line)
            if m:
                name, value = m.group(1), m.group(2).strip()
                try:
                    values[name] = int(value)
                except ValueError:
                    values[name] = value
                continue
            m = undef.match(line)
            if m:
                values[m.group(1)] = 0
    return values


def parse_assignments(cmd, assignments):
    """KEY=VALUE arguments, or --vars=FILE with one KEY=VALUE a line: the Makefile variables of
    this build, as Meson computed them."""
    values = {}
    items = []
    for item in assignments:
        if item.startswith('--vars='):
            with open(item[len('--vars='):], encoding='utf-8') as f:
                items.extend(f.read().splitlines())
        else:
            items.append(item)
    for item in items:
        key, sep, value = item.partition('=')
        if not sep:
            sys.exit(f'{cmd}: expected KEY=VALUE, got {item!r}')
        values[key] = value
    return values


def checkout_parse_config_h(srcdir):
    """The checkout's own sysconfig.parse_config_h (and the module-level names it reads), as
    `sysconfig --generate-posix-vars` runs it in a configure build: 3.15's strips the quotes
    of string macros (SOABI_PLATFORM), older ones keep them. None when it cannot be loaded
    (no such file, or syntax this Python cannot compile)."""
    for rel in ('Lib/sysconfig/__init__.py', 'Lib/sysconfig.py'):
        path = os.path.join(srcdir, rel)
        if os.path.exists(path):
            break
    else:
        return None
    try:
        with open(path, encoding='utf-8') as f:
            tree = ast.parse(f.read(), path)
        func = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == 'parse_config_h')
        used = {n.id for n in ast.walk(func) if isinstance(n, ast.Name)}
        consts = [n for n in tree.body if isinstance(n, ast.Assign)
                  and any(isinstance(t, ast.Name) and t.id in used for t in n.targets)]
        namespace = {}
        exec(compile(ast.Module(body=consts + [func], type_ignores=[]), path, 'exec'), namespace)
        return namespace['parse_config_h']
    except (StopIteration, SyntaxError, ValueError, NameError, TypeError):
        return None


def sysconfigdata(out, config_h, assignments):
    assigned = parse_assignments('sysconfigdata', assignments)
    own = checkout_parse_config_h(assigned['abs_srcdir']) if 'abs_srcdir' in assigned else None
    if own is not None:
        with open(config_h, encoding='utf-8') as f:
            values = own(f)
    else:
        values = parse_config_h(config_h)
    for key, value in assigned.items():
        try:
            values[key] = int(value)
        except ValueError:
            values[key] = value
    text = '# system configuration generated by cpython-meson\nbuild_time_vars = '
    text += pprint.pformat(values, width=100) + '\n'
    if 'prefix' in values and 'LIBDEST' in values:
        text += RELOCATE.format(keys=pprint.pformat(RELOCATED_KEYS, width=90, compact=True))
    write_if_changed(out, text)


# The installed paths, rewritten at import time when the installed tree has been moved. LIBPC
# stays: the pkg-config files it names hold the configured prefix.
RELOCATED_KEYS = sorted([
    'prefix', 'exec_prefix', 'datarootdir', 'BINDIR', 'LIBDIR', 'SCRIPTDIR', 'INCLUDEDIR',
    'CONFINCLUDEDIR', 'INCLUDEPY', 'CONFINCLUDEPY', 'LIBDEST', 'DESTLIB', 'BINLIBDEST',
    'MACHDESTLIB', 'DESTSHARED', 'LIBPL', 'EXENAME', 'CPPFLAGS', 'PY_CPPFLAGS', 'PY_CORE_CFLAGS',
    'PY_STDMODULE_CFLAGS',
])
RELOCATE = '''

def _relocate(v=build_time_vars, keys={keys}):
    # The installed tree can be moved: its paths follow where this file is now.
    import os
    import sys
    here = os.path.dirname(os.path.abspath(__file__))
    old = v['prefix']
    rel = os.path.relpath(v['LIBDEST'], old)
    exact = {{}}
    if not os.path.isdir(here) and here == getattr(sys, '_stdlib_dir', None):
        # In the stdlib archive of a single file (-Dstdlib=embedded): the prefix is the
        # directory of the executable, the stdlib the archive, the interpreter that file.
        new = sys.prefix
        exact = dict.fromkeys(('LIBDEST', 'DESTLIB', 'BINLIBDEST', 'MACHDESTLIB'), here)
        exact['BINDIR'] = new
        exact['EXENAME'] = sys.executable
    elif here == v['LIBDEST'] or not here.endswith(os.sep + rel) or old == '/':
        return
    else:
        new = here[:-len(rel) - 1]
    def move(word):
        for flag in ('', '-I', '-L'):
            path = word[len(flag):]
            if word.startswith(flag) and (path == old or path.startswith(old + '/')):
                return flag + new + path[len(old):]
        return word
    for key in keys:
        if isinstance(v.get(key), str):
            v[key] = ' '.join(move(word) for word in v[key].split(' '))
    v.update(exact)


_relocate()
del _relocate
'''


MAKEFILE_HEADER = """\
# Generated by cpython-meson: the variables of configure's Makefile for this build, with the
# values _sysconfigdata holds (both are written from Modules/sysconfig-vars.txt), for sysconfig
# and the tools that read them (sysconfig.get_makefile_filename(), `python -m sysconfig`). It
# has no rules: this build runs with Meson and Ninja.

"""


# Lists of the stdlib's directories Makefile.pre.in keeps for `make install`, copied as they are
# (test_tools.test_makefile checks that TESTSUBDIRS names every directory of Lib/test).
MAKEFILE_PRE_IN_COPIED = ('XMLLIBSUBDIRS', 'LIBSUBDIRS', 'TESTSUBDIRS')


def makefile_pre_in_assignments(path, names):
    """The assignments of NAMES in Makefile.pre.in, with their continuation lines, as they are."""
    with open(path, encoding='utf-8') as f:
        lines = f.read().splitlines()
    found = []
    i = 0
    while i < len(lines):
        m = re.match(r'([A-Za-z][A-Za-z0-9_]*)\s*=', lines[i])
        start = i
        while lines[i].endswith('\\') and i + 1 < len(lines):
            i += 1
        if m and m.group(1) in names:
            found.extend(lines[start:i + 1])
        i += 1
    return found


def makefile(out, makefile_pre_in, assignments):
    values = parse_assignments('makefile', assignments)
    # A literal $ is $$ in make syntax (sysconfig's parser reads it back as $).
    lines = [f'{key}=\t{value.replace("$", "$$")}'.rstrip() for key, value in values.items()]
    lines += makefile_pre_in_assignments(makefile_pre_in, MAKEFILE_PRE_IN_COPIED)
    write_if_changed(out, MAKEFILE_HEADER + '\n'.join(lines) + '\n')


def _module_assignment(path, name):
    """The literal value assigned to NAME at the top level of PATH, or None."""
    try:
        with open(path, encoding='utf-8') as f:
            tree = ast.parse(f.read(), path)
    except FileNotFoundError:
        return None
    for node in tree.body:
        if isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        elif isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        else:
            continue
        if any(isinstance(t, ast.Name) and t.id == name for t in targets) and value is not None:
            try:
                return ast.literal_eval(value)
            except ValueError:
                return None
    return None


def regrtest_tests(testdir):
    """libregrtest's findtests(): test_* modules and packages of Lib/test, sorted; packages of
    SPLITTESTDIRS (3.12+: test_asyncio, test_concurrent_futures, ...) give one test per module
    or sub-package, named test.<package>.<module>, as regrtest schedules them."""
    split = _module_assignment(os.path.join(testdir, 'libregrtest', 'findtests.py'), 'SPLITTESTDIRS') or set()

    def find(directory, base):
        tests = []
        for name in os.listdir(directory):
            mod, ext = os.path.splitext(name)
            if not mod.startswith('test_'):
                continue
            full = f'{base}.{mod}' if base else mod
            if full in split:
                tests.extend(find(os.path.join(directory, mod), full if base else f'test.{mod}'))
            elif ext in ('.py', ''):
                tests.append(full)
        return sorted(tests)

    sys.stdout.write(''.join(name + '\n' for name in find(testdir, '')))


def exe_wrapper_launcher(python, wrapper):
    """A cross build's interpreter runs through the cross file's exe_wrapper, which `meson test`
    passes in MESON_EXE_WRAPPER. Tests start sys.executable again (subprocess), and without a
    binfmt registration the kernel cannot run the host's binary: a shell script beside python
    runs it through the wrapper, and qemu's -0 makes the script the interpreter's argv[0], so
    sys.executable is the script (getpath finds pybuilddir.txt next to it all the same)."""
    import shlex
    import shutil
    words = shlex.split(wrapper)
    # Absolute, for tests that start the interpreter with an empty environment.
    words[0] = shutil.which(words[0]) or words[0]
    argv0 = ['-0', '"$0"'] if os.path.basename(words[0]).startswith('qemu-') else []
    launcher = python + '-exe-wrapper'
    text = '#!/bin/sh\nexec {} {} {} "$@"\n'.format(
        ' '.join(shlex.quote(w) for w in words), ' '.join(argv0), shlex.quote(python))
    write_if_changed(launcher, text, mode=0o755)
    return launcher


def target_compiler_shims(launcher, compiler):
    """Tests that run the toolchain mean the one of the machine they run on: ctypes.util's
    find_library asks `gcc -Wl,-t`, `ld -t` and `objdump -p`, test_ctypes builds shared libraries
    with `gcc` and loads them. Under the exe wrapper that is the cross toolchain: `gcc` and `cc`
    (the cross compiler) and, for a GNU one named <triplet>-gcc, `ld` and `objdump`
    (<triplet>-ld, <triplet>-objdump), in a directory beside the interpreter that goes first on
    PATH."""
    import shlex
    import shutil
    words = shlex.split(compiler)
    tools = {'gcc': compiler, 'cc': compiler}
    name = os.path.basename(words[-1]) if words else ''
    if name.endswith('-gcc'):
        for tool in ('ld', 'objdump'):
            found = shutil.which(name[:-len('gcc')] + tool)
            if found:
                tools[tool] = shlex.quote(found)
    bindir = os.path.join(os.path.dirname(launcher), 'exe-wrapper-bin')
    os.makedirs(bindir, exist_ok=True)
    for tool, command in tools.items():
        script = '#!/bin/sh\nexec {} "$@"\n'.format(command)
        write_if_changed(os.path.join(bindir, tool), script, mode=0o755)
    return bindir


def regrtest(python, args):
    """Run a test of CPython's suite as a Meson test: the build-tree interpreter finds its
    stdlib by itself, so no PYTHONHOME/PYTHONPATH (or any PYTHON*) from the caller."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('PYTHON')}
    python = os.path.abspath(python)
    wrapper = os.environ.get('MESON_EXE_WRAPPER', '')
    if wrapper:
        python = exe_wrapper_launcher(python, wrapper)
    target_cc = env.pop('CPYTHON_MESON_TARGET_CC', '')
    if wrapper and target_cc:
        env['PATH'] = target_compiler_shims(python, target_cc) + os.pathsep + env.get('PATH', '')
    sys.stdout.flush()
    os.execve(python, [python, *args], env)


# A script installed into bin/ must keep working when the installed tree is moved: /bin/sh runs
# the first two lines and execs the interpreter found next to the script; to Python they are a
# string.
RELOCATABLE_SHEBANG = '''#!/bin/sh
\'\'\'exec' "$(dirname -- "$(realpath -- "$0")")/{python}" "$0" "$@"
' \'\'\'
'''


def script(src, out, python):
    with open(src, encoding='utf-8') as f:
        lines = f.read().splitlines(keepends=True)
    if lines and lines[0].startswith('#!'):
        lines = lines[1:]
    write_if_changed(out, RELOCATABLE_SHEBANG.format(python=python) + ''.join(lines))
    os.chmod(out, 0o755)


def dist_info(out, items):
    """ITEMs: core=TARGET, main=TARGET, libpython=TARGET, license=SPDX,
    dep=KEY:NAME:TYPE:LICENSE:TARGET (TARGET only for bundled libraries), and
    module=NAME:KIND:TARGET:REQUIRED:DEP,DEP... (KIND builtin or shared, REQUIRED 0 or 1)."""
    info = {'core_targets': [], 'main_target': None, 'libpython_target': None,
            'licenses': [], 'dependencies': {}, 'modules': {}}
    for item in items:
        kind, _, value = item.partition('=')
        fields = value.split(':')
        if kind == 'core':
            info['core_targets'].append(value)
        elif kind == 'main':
            info['main_target'] = value
        elif kind == 'libpython':
            info['libpython_target'] = value
        elif kind == 'license':
            info['licenses'].append(value)
        elif kind == 'dep' and len(fields) == 5:
            key, name, type_name, spdx, target = fields
            info['dependencies'][key] = {'name': name, 'type': type_name, 'license': spdx,
                                         'target': target or None}
        elif kind == 'module' and len(fields) == 5:
            name, mod_kind, target, required, deps = fields
            info['modules'][name] = {'kind': mod_kind, 'target': target,
                                     'required': required == '1', 'init_fn': 'PyInit_' + name,
                                     'deps': [d for d in deps.split(',') if d]}
        else:
            sys.exit(f'dist-info: unexpected item {item!r}')
    write_if_changed(out, json.dumps(info, indent=2, sort_keys=True) + '\n')


def compileall(python, libdest):
    # Run by `meson install`: MESON_INSTALL_DESTDIR_PREFIX honours DESTDIR.
    prefix = os.environ.get('MESON_INSTALL_DESTDIR_PREFIX')
    real_prefix = os.environ.get('MESON_INSTALL_PREFIX')
    if not prefix or not real_prefix:
        sys.exit('compileall: run me from meson install')
    target = os.path.join(prefix, libdest)
    # Meson passes the interpreter relative to the build directory; never let PATH pick another one.
    python = os.path.abspath(python)
    import subprocess
    for opt in ([], ['-O'], ['-OO']):
        cmd = [python, '-E', *opt, '-Wi', '-m', 'compileall', '-q', '-j0',
               '-d', os.path.join(real_prefix, libdest), '-f',
               '-x', 'bad_coding|badsyntax|site-packages|test/test_lib2to3/data|test/translationdata',
               target]
        # compileall exits non-zero when a deliberately broken test file fails; make install ignores it too.
        subprocess.run(cmd, check=False)


# The zip has fixed metadata, so that the same inputs give the same bytes.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
# Files of LIBSUBDIRS that make install skips (libinstall's case patterns).
SKIPPED_SUFFIXES = ('.pyc', '.pyo', '.orig', '~')

# Run by the interpreter being built (its bytecode is what the archive needs): reads NUL-separated
# "arcname\tpath" records on stdin and writes, for each, the .pyc (PEP 552, unchecked hash) as
# <4-byte length><arcname><4-byte length><pyc> to the file argv[2]; a file that does not compile
# is reported and left without .pyc (compileall leaves it out too).
COMPILE_SCRIPT = r'''
import sys
from importlib._bootstrap_external import _code_to_hash_pyc
from importlib.util import source_hash
prefix, out = sys.argv[1], sys.argv[2]
records = [r for r in sys.stdin.read().split("\0") if r]
with open(out, "wb") as f:
    for record in records:
        arcname, path = record.split("\t", 1)
        with open(path, "rb") as src:
            source = src.read()
        try:
            code = compile(source, prefix + "/" + arcname, "exec", dont_inherit=True, optimize=0)
        except SyntaxError as exc:
            print(f"stdlib-zip: {path}: not compiled ({exc})", file=sys.stderr)
            continue
        data = bytes(_code_to_hash_pyc(code, source_hash(source), checked=False))
        name = (arcname + "c").encode()
        f.write(len(name).to_bytes(4, "little") + name + len(data).to_bytes(4, "little") + data)
'''


def makefile_pre_in_words(path, name, seen=()):
    """The words of NAME's assignment in Makefile.pre.in (continuation lines joined, $(VAR)
    words expanded: LIBSUBDIRS names $(XMLLIBSUBDIRS))."""
    lines = makefile_pre_in_assignments(path, (name,))
    if not lines or name in seen:
        sys.exit(f'{path}: expected one {name} assignment')
    text = ' '.join(line.rstrip('\\') for line in lines)
    words = []
    for word in text.split('=', 1)[1].split():
        m = re.fullmatch(r'\$\(([A-Za-z_][A-Za-z0-9_]*)\)', word)
        words.extend(makefile_pre_in_words(path, m.group(1), seen + (name,)) if m else [word])
    return words


def stdlib_files(srcdir):
    """(arcname, path) of the stdlib as make install lays it out without the tests: Lib/*.py,
    then every file of each LIBSUBDIRS directory (not its subdirectories)."""
    lib = os.path.join(srcdir, 'Lib')
    files = [(name, os.path.join(lib, name)) for name in os.listdir(lib)
             if name.endswith('.py') and os.path.isfile(os.path.join(lib, name))]
    for d in makefile_pre_in_words(os.path.join(srcdir, 'Makefile.pre.in'), 'LIBSUBDIRS'):
        full = os.path.join(lib, d)
        if not os.path.isdir(full):
            continue
        for name in os.listdir(full):
            path = os.path.join(full, name)
            if name == 'CVS' or name.endswith(SKIPPED_SUFFIXES) or not os.path.isfile(path):
                continue
            files.append((f'{d}/{name}', path))
    return files


def depfile_escape(path):
    return path.replace('\\', '\\\\').replace(' ', '\\ ').replace('#', '\\#').replace('$', '$$')


def stdlib_zip(out, depfile, python, srcdir, code_prefix, compression, extras):
    import subprocess
    import tempfile
    import zipfile
    if compression not in ('deflate', 'store'):
        sys.exit(f'stdlib-zip: expected deflate or store, got {compression!r}')
    files = stdlib_files(srcdir)
    for item in extras:
        path, sep, arcname = item.partition('=')
        if not sep:
            sys.exit(f'stdlib-zip: expected FILE=ARCNAME, got {item!r}')
        files.append((arcname, path))
    files.sort()
    sources = [(a, p) for a, p in files if a.endswith('.py')]
    with tempfile.TemporaryDirectory() as tmp:
        blob = os.path.join(tmp, 'pyc')
        stdin = ''.join(f'{a}\t{p}\0' for a, p in sources)
        subprocess.run([os.path.abspath(python), '-I', '-S', '-c', COMPILE_SCRIPT, code_prefix, blob],
                       input=stdin.encode(), check=True)
        with open(blob, 'rb') as f:
            data = f.read()
    compiled = {}
    i = 0
    while i < len(data):
        n = int.from_bytes(data[i:i + 4], 'little')
        name = data[i + 4:i + 4 + n].decode()
        i += 4 + n
        n = int.from_bytes(data[i:i + 4], 'little')
        compiled[name] = data[i + 4:i + 4 + n]
        i += 4 + n
    method = zipfile.ZIP_DEFLATED if compression == 'deflate' else zipfile.ZIP_STORED
    entries = {}
    for arcname, path in files:
        parts = arcname.split('/')
        for k in range(1, len(parts)):
            entries.setdefault('/'.join(parts[:k]) + '/', None)
        with open(path, 'rb') as f:
            entries[arcname] = f.read()
        if arcname + 'c' in compiled:
            entries[arcname + 'c'] = compiled[arcname + 'c']
    tmp_out = out + '.tmp'
    with zipfile.ZipFile(tmp_out, 'w') as z:
        for arcname in sorted(entries):
            info = zipfile.ZipInfo(arcname, ZIP_DATE)
            info.create_system = 3
            if arcname.endswith('/'):
                info.external_attr = (0o40755 << 16) | 0x10
                z.writestr(info, b'')
            else:
                # The .pyc files are stored: imports read them at every start, and inflating
                # them costs more start-up time than reading them (measured: docs/single-file.md).
                info.external_attr = 0o100644 << 16
                info.compress_type = zipfile.ZIP_STORED if arcname.endswith('.pyc') else method
                z.writestr(info, entries[arcname], compresslevel=9 if info.compress_type == zipfile.ZIP_DEFLATED else None)
    os.replace(tmp_out, out)
    deps = [os.path.join(srcdir, 'Makefile.pre.in')] + [p for _, p in files]
    with open(depfile, 'w', encoding='utf-8') as f:
        f.write(depfile_escape(out) + ': ' + ' '.join(depfile_escape(p) for p in deps) + '\n')


# Run by the interpreter being built: zipimport's own table of the archive argv[1] (the finished
# file), with the archive's path replaced by /proc/self/exe, the name the single file gives it,
# as marshal data on stdout.
DIRECTORY_SCRIPT = r'''
import marshal, sys, zipimport
path = sys.argv[1]
table = zipimport._read_directory(path)
def rename(value):
    if isinstance(value, str) and value.startswith(path + "/"):
        return "/proc/self/exe" + value[len(path):]
    return value
table = {key: tuple(rename(v) for v in entry) for key, entry in sorted(table.items())}
sys.stdout.buffer.write(marshal.dumps(table))
'''
DIRECTORY_MAGIC = b'CPMDIR01'


def append_stdlib(exe, archive, out, python, strip=None):
    """OUT = EXE, zipimport's directory table of the archive (read by cpython_meson_embedded.h,
    see cpython_meson__seed_directory there), ZIP."""
    import shutil
    import subprocess
    tmp = out + '.tmp'
    if strip:
        subprocess.run([strip, '-o', tmp, exe], check=True)
    else:
        shutil.copyfile(exe, tmp)
    with open(tmp, 'rb') as f:
        elf = f.read()
    with open(archive, 'rb') as f:
        zipdata = f.read()
    eocd = zipdata[-22:]
    if eocd[:4] != b'PK\x05\x06':
        sys.exit(f'append-stdlib: {archive}: expected a zip without comment')
    # The table's file offsets count from the start of the file, so they depend on the size of
    # the table in front of the zip; marshal writes them as fixed-size ints, so the size found
    # with a provisional region holds for the final one.
    region = 0
    for _ in range(3):
        with open(tmp, 'wb') as f:
            f.write(elf + bytes(region) + zipdata)
        table = subprocess.run([os.path.abspath(python), '-I', '-S', '-c', DIRECTORY_SCRIPT, os.path.abspath(tmp)],
                               check=True, stdout=subprocess.PIPE).stdout
        need = len(table) + 32
        if region == need:
            break
        region = need
    else:
        sys.exit('append-stdlib: the directory table does not settle in size')
    trailer = DIRECTORY_MAGIC + len(table).to_bytes(8, 'little') + eocd[8:20] + bytes(4)
    with open(tmp, 'wb') as f:
        f.write(elf + table + trailer + zipdata)
    os.chmod(tmp, 0o755)
    os.replace(tmp, out)


# _cpython_meson_zipimport.py, stored in the stdlib archive and run by cpython_meson_embedded.h
# (kept here rather than as a file of its own: the WrapDB overlay may carry one .py, this one).
ZIPIMPORT_MODULE = '''\
# Written by Tools/meson/cpython_meson.py zipimport-module (cpython-meson).
"""The zipimporter of the single file's stdlib archive (-Dstdlib=embedded; docs/single-file.md).

Stored in the archive and run by cpython_meson_embedded.h, which calls install(archive) before
the main initialization phase and the function it returns after it. Why: CPython's zipimporter
reads and unmarshals each module twice, in get_filename() (which importlib calls while it makes
the module's spec) and again in get_code() (python/cpython#141276: 108 marshal.loads for the 54
modules of `import json, asyncio`). The subclass below keeps the code object get_filename() made
for the get_code() of the same module that follows: one read and unmarshal per module. The
rest is zipimporter's own (the same lookup and errors, __file__, __spec__, __cached__, sources,
resources, packages and namespace portions). It serves the archive only; other zip files on
sys.path keep the stock zipimporter.
"""
import sys
import zipimport


class zipimporter(zipimport.zipimporter):
    _last = None  # (fullname, code) from the last get_filename()

    def get_filename(self, fullname):
        code, ispackage, modpath = zipimport._get_module_code(self, fullname)
        self._last = fullname, code
        return modpath

    def get_code(self, fullname):
        last, self._last = self._last, None
        if last is not None and last[0] == fullname:
            return last[1]
        return super().get_code(fullname)


def install(archive):
    """Imports from the archive's top level use the subclass from now on (encodings is the first,
    in the main initialization phase); the returned function, called after that phase (which puts
    zipimport's hook first in sys.path_hooks), installs it for the packages' directories too."""
    sys.path_importer_cache[archive] = zipimporter(archive)
    inside = archive + '/'

    def hook(path):
        if path == archive or path.startswith(inside):
            return zipimporter(path)
        raise ImportError('not in the embedded stdlib archive', path=path)

    def install_hook():
        sys.path_hooks.insert(0, hook)
        for path, finder in list(sys.path_importer_cache.items()):
            if type(finder) is zipimport.zipimporter and path.startswith(inside):
                del sys.path_importer_cache[path]

    return install_hook
'''


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd == 'config-c' and len(args) >= 2:
        config_c(args[0], args[1], args[2:])
    elif cmd == 'write' and len(args) >= 1:
        write_if_changed(args[0], ''.join(line + '\n' for line in args[1:]))
    elif cmd == 'sysconfigdata' and len(args) >= 2:
        sysconfigdata(args[0], args[1], args[2:])
    elif cmd == 'script' and len(args) == 3:
        script(args[0], args[1], args[2])
    elif cmd == 'dist-info' and len(args) >= 1:
        dist_info(args[0], args[1:])
    elif cmd == 'compileall' and len(args) == 2:
        compileall(args[0], args[1])
    elif cmd == 'makefile' and len(args) >= 2:
        makefile(args[0], args[1], args[2:])
    elif cmd == 'regrtest-tests' and len(args) == 1:
        regrtest_tests(args[0])
    elif cmd == 'regrtest' and len(args) >= 1:
        regrtest(args[0], args[1:])
    elif cmd == 'stdlib-zip' and len(args) >= 6:
        stdlib_zip(args[0], args[1], args[2], args[3], args[4], args[5], args[6:])
    elif cmd == 'zipimport-module' and len(args) == 1:
        write_if_changed(args[0], ZIPIMPORT_MODULE)
    elif cmd == 'append-stdlib' and len(args) in (4, 5):
        append_stdlib(*args)
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv)
