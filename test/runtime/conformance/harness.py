"""The CPython side of the conformance suite: runs every case of cases.py under asyncio.run and
prints {case: log} as JSON. scripts/conformance-golden.mjs runs it with CPython 3.13 and stores the
result as golden.json, which test/runtime/conformance.test.ts compares the TypeScript twins against.

Time: one tick is T seconds of real time here and 1 ms of virtual loop time in TypeScript; logs
show loop time in whole ticks, so T must be long enough for real scheduling jitter to round away.
"""
import asyncio
import json
import sys

T = 0.05
CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Boom(Exception):
    pass


class Log(list):
    def __init__(self):
        super().__init__()
        self.t0 = None

    def now(self):
        return round((asyncio.get_running_loop().time() - self.t0) / T)

    def __call__(self, *parts):
        self.append(" ".join(str(p) for p in parts))


async def sleep(ticks, value=None):
    return await asyncio.sleep(ticks * T, value)


def ename(e):
    return type(e).__name__


def fmt(v):
    if isinstance(v, BaseExceptionGroup):
        return "ExceptionGroup[" + ", ".join(fmt(x) for x in v.exceptions) + "]"
    if isinstance(v, BaseException):
        return f"{ename(v)}({v})"
    if isinstance(v, (set, frozenset)):
        v = sorted(v)
    if isinstance(v, tuple):
        v = list(v)
    if isinstance(v, list):
        return "[" + ",".join(fmt(x) for x in v) + "]"
    return json.dumps(v, separators=(",", ":"))


def names(tasks):
    return "[" + ",".join(sorted(t.get_name() for t in tasks)) + "]"


def run_case(fn):
    log = Log()

    async def main():
        log.t0 = asyncio.get_running_loop().time()
        return await fn(log)

    try:
        r = asyncio.run(main())
        log("main ->", fmt(r))
    except BaseException as e:  # noqa: BLE001 - the outcome is what we compare
        log("main !", fmt(e))
    return list(log)


if __name__ == "__main__":
    import cases  # noqa: F401  (registers the cases)
    import cases_combinators  # noqa: F401
    import cases_primitives  # noqa: F401

    import harness  # the module the cases registered into (this file runs as __main__)

    only = sys.argv[1:]
    out = {name: harness.run_case(fn) for name, fn in harness.CASES.items() if not only or name in only}
    json.dump({"python": sys.version.split()[0], "cases": out}, sys.stdout, indent=1, sort_keys=True)
    print()
