"""Start-up times for `cpython-meson bench --single-file` (run by any Python 3, not the ones timed).

usage: startup_times.py RUNS CODE NAME=PYTHON...

Runs every PYTHON with `-c CODE` RUNS times (after 3 warm-up runs each), one PYTHON after the
other in each round so that drifting machine load hits them alike, and prints JSON: per NAME the
wall-clock and CPU (user + system, from wait4) milliseconds of each run and their medians. The
environment is clean (PATH, LANG=C.UTF-8, no user site-packages), the current directory /.
"""
import json
import os
import statistics
import subprocess
import sys
import time


def once(python, code, env):
    t0 = time.perf_counter()
    proc = subprocess.Popen([python, '-c', code], env=env, cwd='/', stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if status != 0:
        sys.exit(f'startup_times: {python} -c {code!r} exited with status {status}')
    return wall * 1000, (usage.ru_utime + usage.ru_stime) * 1000


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    runs, code = int(argv[1]), argv[2]
    pythons = [item.partition('=')[::2] for item in argv[3:]]
    env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'LANG': 'C.UTF-8', 'PYTHONNOUSERSITE': '1'}
    samples = {name: {'wall_ms': [], 'cpu_ms': []} for name, _ in pythons}
    for name, python in pythons:
        for _ in range(3):
            once(python, code, env)
    for i in range(runs):
        order = pythons if i % 2 == 0 else pythons[::-1]
        for name, python in order:
            wall, cpu = once(python, code, env)
            samples[name]['wall_ms'].append(round(wall, 3))
            samples[name]['cpu_ms'].append(round(cpu, 3))
    for s in samples.values():
        s['wall_median_ms'] = round(statistics.median(s['wall_ms']), 3)
        s['cpu_median_ms'] = round(statistics.median(s['cpu_ms']), 3)
    json.dump(samples, sys.stdout, indent=1)


if __name__ == '__main__':
    main(sys.argv)
