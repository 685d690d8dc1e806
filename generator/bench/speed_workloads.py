"""Interpreter-speed workloads of `cpython-meson bench`: pure standard library, Python 3.11+.

Written for this project (not pyperformance), in the spirit of its classic benchmarks: each
workload is a function doing a fixed amount of work; the runner times it in a fresh process.

    python speed_workloads.py --list            one workload name per line
    python speed_workloads.py NAME [REPEAT]     times NAME: one warm-up call sets how many calls make
                                                 a ~0.1 s sample; prints the best of REPEAT samples
                                                 (default 5) as seconds per call, in JSON

Times are the process's CPU time (time.process_time), not wall-clock time, so that other work on
the machine (waiting for a core) does not count; "startup" measures `python -c pass` in child
processes by their CPU time (getrusage). The bench (generator/bench/speed.ts) runs every workload
in several processes on each interpreter, alternating them, and keeps the minimum.
"""

import json
import sys
import time

WORKLOADS = {}


def workload(fn):
    WORKLOADS[fn.__name__] = fn
    return fn


# --- object-heavy loops -----------------------------------------------------------------------


class Task:
    __slots__ = ("ident", "prio", "count", "next")

    def __init__(self, ident, prio, nxt):
        self.ident = ident
        self.prio = prio
        self.count = 0
        self.next = nxt

    def run(self, scheduler):
        self.count += 1
        if self.count % 3 == 0:
            scheduler.hold(self)
        return self.next


class Scheduler:
    def __init__(self):
        self.held = 0

    def hold(self, task):
        self.held += task.prio


@workload
def objects():
    """Method calls, attribute access and a linked task list (richards-like)."""
    sched = Scheduler()
    head = None
    for i in range(200):
        head = Task(i, i % 7, head)
    for _ in range(300):
        t = head
        while t is not None:
            t = t.run(sched)
    return sched.held


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y

    def __add__(self, other):
        return Point(self.x + other.x, self.y + other.y)

    def __eq__(self, other):
        return self.x == other.x and self.y == other.y

    def __hash__(self):
        return hash((self.x, self.y))


@workload
def dunder():
    """Operator overloading, __hash__/__eq__ through dicts and sets."""
    seen = set()
    p = Point(0, 0)
    step = Point(1, 2)
    for i in range(60_000):
        p = p + step
        if i % 3 == 0:
            seen.add(Point(p.x % 97, p.y % 89))
    return len(seen)


# --- float math --------------------------------------------------------------------------------


@workload
def nbody():
    """Float arithmetic on lists of floats (nbody-like)."""
    bodies = [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 39.47],
        [4.84, -1.16, -0.10, 0.60, 2.81, -0.02, 0.037],
        [8.34, 4.12, -0.40, -1.01, 1.82, 0.008, 0.011],
        [12.89, -15.11, -0.22, 1.08, 0.86, -0.01, 0.0017],
        [15.37, -25.91, 0.17, 0.97, 0.59, -0.03, 0.002],
    ]
    pairs = [(bodies[i], bodies[j]) for i in range(5) for j in range(i + 1, 5)]
    dt = 0.01
    for _ in range(8_000):
        for b1, b2 in pairs:
            dx = b1[0] - b2[0]
            dy = b1[1] - b2[1]
            dz = b1[2] - b2[2]
            mag = dt * ((dx * dx + dy * dy + dz * dz) ** -1.5)
            m1 = b1[6] * mag
            m2 = b2[6] * mag
            b1[3] -= dx * m2
            b1[4] -= dy * m2
            b1[5] -= dz * m2
            b2[3] += dx * m1
            b2[4] += dy * m1
            b2[5] += dz * m1
        for b in bodies:
            b[0] += dt * b[3]
            b[1] += dt * b[4]
            b[2] += dt * b[5]
    return bodies[0][0]


@workload
def mathfuncs():
    """math module calls and float formatting."""
    import math

    acc = 0.0
    for i in range(1, 120_000):
        x = i * 0.001
        acc += math.sin(x) * math.sqrt(x) + math.log(x) - math.atan2(x, 1.5)
    return f"{acc:.6f}"


# --- recursion, generators, closures ------------------------------------------------------------


@workload
def recursion():
    """Deep and wide Python recursion (fib)."""

    def fib(n):
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    return fib(24)


@workload
def generators():
    """Generator pipelines and generator expressions."""

    def numbers(n):
        for i in range(n):
            yield i

    def evens(it):
        for x in it:
            if x % 2 == 0:
                yield x

    def squares(it):
        for x in it:
            yield x * x

    total = 0
    for _ in range(6):
        total += sum(squares(evens(numbers(50_000))))
    total += sum(x for x in range(100_000) if x % 3)
    return total


@workload
def closures():
    """Closures, nonlocal, lambdas, functools.partial and higher-order calls."""
    import functools

    def counter():
        n = 0

        def inc(step=1):
            nonlocal n
            n += step
            return n

        return inc

    c = counter()
    add = functools.partial(lambda a, b: a + b, 3)
    acc = 0
    for i in range(150_000):
        acc += c() + add(i & 7)
    acc += sum(map(lambda v: v * 2, range(50_000)))
    return acc


@workload
def coroutines():
    """asyncio: many small tasks and awaits on one event loop."""
    import asyncio

    async def leaf(i):
        await asyncio.sleep(0)
        return i

    async def main():
        total = 0
        for _ in range(20):
            total += sum(await asyncio.gather(*(leaf(i) for i in range(500))))
        return total

    return asyncio.run(main())


@workload
def exceptions():
    """raise / except / finally in loops, and with-statements."""

    class Ctx:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    n = 0
    for i in range(100_000):
        try:
            with Ctx():
                if i % 2:
                    raise KeyError(i)
        except KeyError:
            n += 1
        finally:
            n += 1
    return n


# --- built-in containers and text ---------------------------------------------------------------


@workload
def dicts_lists():
    """Dict and list building, comprehensions, sorting."""
    data = [(i * 7919) % 10007 for i in range(60_000)]
    d = {}
    for v in data:
        d[v] = d.get(v, 0) + 1
    inv = {v: k for k, v in d.items()}
    s = sorted(data)
    s.sort(key=lambda x: -x)
    return len(inv) + s[0] + len([x for x in data if x & 1])


@workload
def strings():
    """str methods, f-strings, join/split and unicode."""
    words = [f"word{i}-\u00e9\u4e2d{i % 13}" for i in range(20_000)]
    text = " ".join(words)
    parts = text.split()
    upper = [w.upper().replace("WORD", "w") for w in parts]
    found = sum(1 for w in upper if w.endswith("5") or "\u4e2d1" in w)
    return found + len("".join(upper).encode("utf-8"))


# --- standard-library modules -------------------------------------------------------------------


@workload
def json_roundtrip():
    """json.dumps + json.loads of nested data."""
    doc = {
        "items": [{"id": i, "name": f"item {i}", "tags": ["a", "b", "\u00e9"], "price": i * 1.25, "ok": i % 2 == 0} for i in range(400)],
        "meta": {"count": 400, "nested": {"deep": [1, 2, 3, None]}},
    }
    n = 0
    for _ in range(25):
        text = json.dumps(doc)
        n += len(json.loads(text)["items"])
    return n


@workload
def regex():
    """re: compile, search, findall, sub on text."""
    import re

    text = "\n".join(f"user{i}@example{i % 17}.org 2026-{i % 12 + 1:02d}-{i % 28 + 1:02d} id={i:06d}" for i in range(4_000))
    email = re.compile(r"([\w.]+)@([\w-]+)\.(org|com)")
    date = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
    n = 0
    for _ in range(4):
        n += len(email.findall(text))
        n += sum(1 for _ in date.finditer(text))
        n += len(re.sub(r"id=(\d+)", r"<\1>", text))
    return n


@workload
def pickling():
    """pickle.dumps + pickle.loads of objects and containers."""
    import pickle

    data = [{"k": i, "v": [str(i)] * 3, "t": (i, float(i)), "p": Point(i, -i)} for i in range(2_000)]
    n = 0
    for _ in range(12):
        n += len(pickle.loads(pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)))
    return n


@workload
def sqlite():
    """sqlite3: inserts, an index, queries with Python-side row handling."""
    import sqlite3

    con = sqlite3.connect(":memory:")
    con.execute("create table t (id integer primary key, name text, score real)")
    con.executemany("insert into t (name, score) values (?, ?)", ((f"n{i}", i * 0.5) for i in range(30_000)))
    con.execute("create index t_score on t (score)")
    total = 0.0
    for lo in range(0, 15_000, 1_000):
        for row in con.execute("select name, score from t where score between ? and ?", (lo, lo + 500)):
            total += row[1]
    con.close()
    return total


@workload
def xml_etree():
    """xml.etree.ElementTree: build, serialize, parse, iterate."""
    import xml.etree.ElementTree as ET

    root = ET.Element("root")
    for i in range(3_000):
        child = ET.SubElement(root, "item", id=str(i), kind="even" if i % 2 == 0 else "odd")
        child.text = f"value {i}"
    data = ET.tostring(root)
    n = 0
    for _ in range(4):
        tree = ET.fromstring(data)
        n += sum(1 for e in tree.iter("item") if e.get("kind") == "even")
    return n + len(data)


@workload
def decimal_math():
    """decimal: arithmetic at 50 digits (libmpdec)."""
    from decimal import Decimal, getcontext

    getcontext().prec = 50
    acc = Decimal(0)
    third = Decimal(1) / Decimal(3)
    for i in range(1, 40_000):
        acc += Decimal(i) * third / (Decimal(i) + 1)
    return str(acc)[:20]


@workload
def hashing_zlib():
    """hashlib, zlib and base64 over bytes."""
    import base64
    import hashlib
    import zlib

    blob = bytes(range(256)) * 2_000
    n = 0
    for _ in range(6):
        n += len(hashlib.sha256(blob).hexdigest())
        n += len(zlib.decompress(zlib.compress(blob, 6)))
        n += len(base64.b64decode(base64.b64encode(blob)))
    return n


@workload
def startup():
    """Interpreter start-up and shutdown: `python -c pass`, 10 child processes (their CPU time)."""
    import resource
    import subprocess

    def children():
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime

    before = children()
    for _ in range(10):
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    return children() - before


def cpu_seconds(fn, loops):
    """CPU seconds per call of fn; for startup, the children's CPU time per `python -c pass`."""
    if fn is startup:
        return sum(fn() for _ in range(loops)) / (loops * 10)
    t0 = time.process_time()
    for _ in range(loops):
        fn()
    return (time.process_time() - t0) / loops


def main(argv):
    if argv[:1] == ["--list"]:
        print("\n".join(WORKLOADS))
        return 0
    if not argv or argv[0] not in WORKLOADS:
        print(f"speed_workloads.py: expected a workload name (--list shows them), got {argv[:1]}", file=sys.stderr)
        return 2
    fn = WORKLOADS[argv[0]]
    repeat = int(argv[1]) if len(argv) > 1 else 5
    # Warm-up (imports, caches, specialization); its time sets how many calls make a ~0.1 s sample.
    loops = max(1, round(0.1 / max(cpu_seconds(fn, 1) * (10 if fn is startup else 1), 1e-6)))
    best = float("inf")
    for _ in range(repeat):
        best = min(best, cpu_seconds(fn, loops))
    print(json.dumps({"workload": argv[0], "seconds": best, "loops": loops}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
