"""The workloads on CPython asyncio, the model Loopscope follows.

Run by bench/child (scripts/bench.mjs) and by test/bench: prints one JSON line
{"checksum", "times_ms", "cpu_ms", "python"}
(per timed run: wall time, and the process's CPU time).

usage: python3 asyncio_workloads.py WORKLOAD PARAMS_JSON WARMUPS RUNS
"""
import asyncio
import json
import sys
import time


def deadlines(n, spread):
    # MINSTD seeded with 42: the sequence bench/workloads/spec.mjs computes.
    out = []
    x = 42
    for _ in range(n):
        x = (x * 48271) % 2147483647
        out.append(x % spread)
    return out


async def switcher(i, m):
    acc = 0
    for _ in range(m):
        await asyncio.sleep(0)
        acc += i + 1
    return acc


async def w_switch(p):
    tasks = [asyncio.create_task(switcher(i, p["m"])) for i in range(p["n"])]
    total = 0
    for t in tasks:
        total += await t
    return total


async def trivial(v):
    return v


async def w_spawn(p):
    total = 0
    for rep in range(p["reps"]):
        tasks = [asyncio.create_task(trivial(i + rep)) for i in range(p["n"])]
        total += sum(await asyncio.gather(*tasks))
    return total


async def w_pingpong(p):
    to_pong = asyncio.Queue()
    to_ping = asyncio.Queue()
    rounds = p["rounds"]

    async def pong():
        for _ in range(rounds):
            await to_ping.put((await to_pong.get()) + 1)

    pong_task = asyncio.create_task(pong())
    total = 0
    for i in range(rounds):
        await to_pong.put(i)
        total += await to_ping.get()
    await pong_task
    return total


async def w_lock(p):
    lock = asyncio.Lock()
    state = {"counter": 0}

    async def contender():
        for _ in range(p["k"]):
            await lock.acquire()
            v = state["counter"]
            await asyncio.sleep(0)
            state["counter"] = v + 1
            lock.release()

    tasks = [asyncio.create_task(contender()) for _ in range(p["n"])]
    for t in tasks:
        await t
    return state["counter"]


async def sleeper(ms):
    await asyncio.sleep(ms / 1000)
    return ms


async def w_timers(p):
    tasks = [asyncio.create_task(sleeper(d)) for d in deadlines(p["n"], p["spread"])]
    total = p["n"]
    for t in tasks:
        total += await t
    return total


async def child(i):
    await asyncio.sleep(0)
    return i


async def w_taskgroup(p):
    total = 0
    for _ in range(p["groups"]):
        async with asyncio.TaskGroup() as tg:
            tasks = [tg.create_task(child(i)) for i in range(p["width"])]
        total += sum(t.result() for t in tasks)
    return total


WORKLOADS = {
    "switch": w_switch,
    "spawn": w_spawn,
    "pingpong": w_pingpong,
    "lock": w_lock,
    "timers": w_timers,
    "taskgroup": w_taskgroup,
}


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    name, params, warmups, runs = sys.argv[1], json.loads(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    if name not in WORKLOADS:
        sys.exit(f"unknown workload {name!r} (known: {', '.join(WORKLOADS)})")
    fn = WORKLOADS[name]
    checksum = None
    times = []
    cpu = []
    for i in range(warmups + runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        result = asyncio.run(fn(params))
        elapsed = (time.perf_counter() - t0) * 1000
        cpu_elapsed = (time.process_time() - c0) * 1000
        if checksum is not None and result != checksum:
            sys.exit(f"{name}: checksum changed between runs: {checksum} then {result}")
        checksum = result
        if i >= warmups:
            times.append(elapsed)
            cpu.append(cpu_elapsed)
    print(json.dumps({"checksum": checksum, "times_ms": times, "cpu_ms": cpu, "python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
