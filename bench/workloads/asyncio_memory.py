"""Bytes per suspended asyncio task: n tasks await one shared future that never completes.

Measured with tracemalloc (every allocation Python makes), after a full collection, before and
after the tasks exist. usage: python3 asyncio_memory.py N   ->  {"bytesPerTask", "n", "python"}
"""
import asyncio
import gc
import json
import sys
import tracemalloc


async def waiter(fut):
    await fut


async def main(n):
    never = asyncio.get_running_loop().create_future()
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    tasks = [asyncio.create_task(waiter(never)) for _ in range(n)]
    await asyncio.sleep(0)
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    suspended = sum(1 for t in tasks if not t.done())
    if suspended != n:
        sys.exit(f"memory: asyncio: only {suspended} of {n} tasks were suspended when measured")
    for t in tasks:
        t.cancel()
    return after - before


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    tracemalloc.start()
    used = asyncio.run(main(n))
    print(json.dumps({"bytesPerTask": used / n, "n": n, "python": sys.version.split()[0]}))
