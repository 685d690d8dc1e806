// The answers of configure.ac's run tests (AC_RUN_IFELSE, the pyconfig `runs` checks) for cross
// targets, like CPython's config.site files: used only when a cross build cannot run the test
// programs (its cross file has no exe_wrapper) and the cross file's [properties] do not answer
// (cpython_<macro in lower case> = true|false). docs/cross.md lists them. A target missing here
// and a macro missing from its table stop `meson setup` with the property to set.
//
// Keys: the target as meson.build names it (py_cross_target): PLATFORM_TRIPLET on Linux
// (aarch64-linux-gnu), else <cpu family>-<system> (wasm32-wasi).

/** glibc on Linux: what the programs print under qemu-aarch64 (measured, docs/cross.md). */
const linuxGlibc: Record<string, boolean> = {
  HAVE_WORKING_TZSET: true,
  PTHREAD_SYSTEM_SCHED_SUPPORTED: true,
  HAVE_BROKEN_NICE: false,
  HAVE_BROKEN_POLL: false,
  HAVE_BROKEN_MBSTOWCS: false,
  X87_DOUBLE_ROUNDING: false,
  POSIX_SEMAPHORES_NOT_ENABLED: false,
  HAVE_BROKEN_SEM_GETVALUE: false,
  HAVE_ALIGNED_REQUIRED: false,
  HAVE_GLIBC_MEMMOVE_BUG: false,
  HAVE_IPA_PURE_CONST_BUG: false,
  // 3.14.0 only: glibc's strftime("%Y") does not zero-pad year 99.
  _Py_NORMALIZE_CENTURY: true,
};

/**
 * wasm32-wasi (wasi-libc, single-threaded): what the programs give under node:wasi (measured on
 * 3.13.15 with wasi-libc 0.0~git20240708, docs/cross.md; 3.14.0's _Py_NORMALIZE_CENTURY program
 * compiled alone): most do not even compile there (no
 * pthreads, nice(), poll() semantics, semaphores or working tzset()), the others exit 1.
 */
const wasi: Record<string, boolean> = {
  HAVE_WORKING_TZSET: false,
  PTHREAD_SYSTEM_SCHED_SUPPORTED: false,
  HAVE_BROKEN_NICE: false,
  HAVE_BROKEN_POLL: false,
  HAVE_BROKEN_MBSTOWCS: false,
  X87_DOUBLE_ROUNDING: false,
  POSIX_SEMAPHORES_NOT_ENABLED: false,
  HAVE_BROKEN_SEM_GETVALUE: false,
  HAVE_ALIGNED_REQUIRED: false,
  HAVE_GLIBC_MEMMOVE_BUG: false,
  HAVE_IPA_PURE_CONST_BUG: false,
  // 3.14.0 only: wasi-libc's strftime("%Y") pads year 99 to 0099 (both Debian wasi-libc builds).
  _Py_NORMALIZE_CENTURY: false,
};

export const crossAnswers: Record<string, Record<string, boolean>> = {
  'aarch64-linux-gnu': linuxGlibc,
  'wasm32-wasi': wasi,
};
