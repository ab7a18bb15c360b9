"""Conformance cases for the synchronization primitives, CPython side (twins in cases_primitives.ts)."""
import asyncio

from harness import Boom, case, ename, fmt, sleep

# ------------------------------------------------------------------ Lock


@case
async def lock_fifo_handoff(log):
    lock = asyncio.Lock()

    async def worker(name):
        async with lock:
            log(name, "holds the lock at", log.now())
            await sleep(1)
        log(name, "released")

    await asyncio.gather(worker("a"), worker("b"), worker("c"))
    log("locked", lock.locked())


@case
async def lock_release_unlocked_is_error(log):
    lock = asyncio.Lock()
    try:
        lock.release()
    except RuntimeError as e:
        log("release:", fmt(e))


@case
async def lock_cancelled_waiter_passes_turn(log):
    lock = asyncio.Lock()
    await lock.acquire()

    async def waiter(name):
        try:
            await lock.acquire()
        except asyncio.CancelledError:
            log(name, "cancelled while waiting")
            raise
        log(name, "acquired at", log.now())
        lock.release()

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await sleep(1)
    a.cancel()
    lock.release()
    await asyncio.gather(a, b, return_exceptions=True)
    log("locked", lock.locked())


@case
async def lock_no_queue_jumping(log):
    lock = asyncio.Lock()
    await lock.acquire()

    async def waiter():
        await lock.acquire()
        log("waiter acquired")
        lock.release()

    async def jumper():
        await lock.acquire()
        log("jumper acquired")
        lock.release()

    w = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    lock.release()
    j = asyncio.create_task(jumper())
    await asyncio.gather(w, j)


@case
async def lock_cancel_after_wakeup(log):
    lock = asyncio.Lock()
    await lock.acquire()

    async def waiter(name):
        try:
            await lock.acquire()
        except asyncio.CancelledError:
            log(name, "cancelled after being woken")
            raise
        log(name, "acquired")
        lock.release()

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)
    lock.release()
    a.cancel()
    await asyncio.gather(a, b, return_exceptions=True)
    log("locked", lock.locked())


# ------------------------------------------------------------------ Event


@case
async def event_wakes_all_waiters_in_order(log):
    ev = asyncio.Event()

    async def waiter(name):
        log(name, "waits")
        r = await ev.wait()
        log(name, "woke with", r, "at", log.now())

    ts = [asyncio.create_task(waiter(n)) for n in ("a", "b", "c")]
    await sleep(2)
    log("is_set", ev.is_set())
    ev.set()
    log("set; is_set", ev.is_set())
    await asyncio.gather(*ts)


@case
async def event_wait_after_set_returns_at_once(log):
    ev = asyncio.Event()
    ev.set()

    async def other():
        log("other runs")

    asyncio.create_task(other())
    log("wait ->", await ev.wait())
    ev.clear()
    log("cleared; is_set", ev.is_set())
    await asyncio.sleep(0)


@case
async def event_cancelled_waiter(log):
    ev = asyncio.Event()
    t = asyncio.create_task(ev.wait())
    await asyncio.sleep(0)
    t.cancel()
    await asyncio.gather(t, return_exceptions=True)
    ev.set()
    log("cancelled", t.cancelled(), "waiters left", len(ev._waiters))


# ------------------------------------------------------------------ Condition


@case
async def condition_notify_one_at_a_time(log):
    cond = asyncio.Condition()

    async def consumer(name):
        async with cond:
            log(name, "waits")
            await cond.wait()
            log(name, "notified at", log.now())

    ts = [asyncio.create_task(consumer(n)) for n in ("a", "b", "c")]
    await sleep(1)
    for _ in range(3):
        async with cond:
            cond.notify(1)
        await sleep(1)
    await asyncio.gather(*ts)


@case
async def condition_notify_all(log):
    cond = asyncio.Condition()

    async def consumer(name):
        async with cond:
            await cond.wait()
            log(name, "notified, holds lock", cond.locked())

    ts = [asyncio.create_task(consumer(n)) for n in ("a", "b")]
    await sleep(1)
    async with cond:
        cond.notify_all()
        log("notified all while holding the lock")
    await asyncio.gather(*ts)


@case
async def condition_wait_for_predicate(log):
    cond = asyncio.Condition()
    state = {"n": 0}

    async def waiter():
        async with cond:
            r = await cond.wait_for(lambda: state["n"] >= 3)
            log("predicate true with n =", state["n"], "->", r)

    t = asyncio.create_task(waiter())
    for _ in range(3):
        await sleep(1)
        async with cond:
            state["n"] += 1
            log("n =", state["n"])
            cond.notify()
    await t


@case
async def condition_errors_without_lock(log):
    cond = asyncio.Condition()
    try:
        cond.notify()
    except RuntimeError as e:
        log("notify:", fmt(e))
    try:
        await cond.wait()
    except RuntimeError as e:
        log("wait:", fmt(e))


@case
async def condition_cancelled_wait_reacquires(log):
    cond = asyncio.Condition()

    async def waiter():
        async with cond:
            try:
                await cond.wait()
            except asyncio.CancelledError:
                log("cancelled; holds lock", cond.locked())
                raise

    t = asyncio.create_task(waiter())
    await sleep(1)
    t.cancel()
    await asyncio.gather(t, return_exceptions=True)
    log("after: locked", cond.locked())


@case
async def condition_shared_lock(log):
    lock = asyncio.Lock()
    cond = asyncio.Condition(lock)
    async with lock:
        log("cond locked via lock", cond.locked())
    log("after", cond.locked())


# ------------------------------------------------------------------ Semaphore


@case
async def semaphore_limits_concurrency(log):
    sem = asyncio.Semaphore(2)

    async def worker(name):
        async with sem:
            log(name, "in at", log.now())
            await sleep(2)
        log(name, "out at", log.now())

    await asyncio.gather(*(worker(n) for n in ("a", "b", "c", "d", "e")))


@case
async def semaphore_fifo_no_overtaking(log):
    sem = asyncio.Semaphore(1)
    await sem.acquire()

    async def waiter(name):
        await sem.acquire()
        log(name, "acquired")
        sem.release()

    a = asyncio.create_task(waiter("a"))
    await asyncio.sleep(0)
    sem.release()
    log("locked after release", sem.locked())
    b = asyncio.create_task(waiter("b"))
    await asyncio.gather(a, b)


@case
async def semaphore_cancel_after_wakeup_returns_slot(log):
    sem = asyncio.Semaphore(0)

    async def waiter(name):
        try:
            await sem.acquire()
        except asyncio.CancelledError:
            log(name, "cancelled")
            raise
        log(name, "acquired")

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)
    sem.release()
    a.cancel()
    await asyncio.gather(a, b, return_exceptions=True)
    log("value", sem._value, "locked", sem.locked())


@case
async def semaphore_bad_values(log):
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        log("negative:", ename(e))
    b = asyncio.BoundedSemaphore(1)
    await b.acquire()
    b.release()
    try:
        b.release()
    except ValueError as e:
        log("over-release:", fmt(e))


# ------------------------------------------------------------------ Queue


@case
async def queue_fifo(log):
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)
    log("qsize", q.qsize(), "empty", q.empty(), "full", q.full())
    log("got", fmt([q.get_nowait() for _ in range(3)]))
    try:
        q.get_nowait()
    except asyncio.QueueEmpty as e:
        log("get_nowait on empty:", ename(e))


@case
async def queue_bounded_backpressure(log):
    q = asyncio.Queue(maxsize=2)

    async def producer():
        for i in range(5):
            await q.put(i)
            log("put", i, "at", log.now(), "qsize", q.qsize())

    async def consumer():
        for _ in range(5):
            await sleep(1)
            log("got", await q.get(), "at", log.now())

    await asyncio.gather(producer(), consumer())
    try:
        q.put_nowait(1)
        q.put_nowait(2)
        q.put_nowait(3)
    except asyncio.QueueFull as e:
        log("put_nowait on full:", ename(e), "qsize", q.qsize())


@case
async def queue_getters_served_in_order(log):
    q = asyncio.Queue()

    async def getter(name):
        log(name, "got", await q.get())

    ts = [asyncio.create_task(getter(n)) for n in ("a", "b", "c")]
    await asyncio.sleep(0)
    for i in range(3):
        q.put_nowait(i)
    await asyncio.gather(*ts)


@case
async def queue_join_and_task_done(log):
    q = asyncio.Queue()

    async def worker():
        while True:
            item = await q.get()
            await sleep(item)
            log("processed", item, "at", log.now())
            q.task_done()

    w = asyncio.create_task(worker())
    for i in (1, 2, 1):
        q.put_nowait(i)
    await q.join()
    log("joined at", log.now())
    w.cancel()
    try:
        q.task_done()
    except ValueError as e:
        log("extra task_done:", ename(e))


@case
async def queue_join_when_nothing_put(log):
    q = asyncio.Queue()

    async def other():
        log("other runs")

    asyncio.create_task(other())
    await q.join()
    log("joined without waiting")
    await asyncio.sleep(0)


@case
async def queue_cancelled_getter_passes_item(log):
    q = asyncio.Queue()

    async def getter(name):
        try:
            log(name, "got", await q.get())
        except asyncio.CancelledError:
            log(name, "cancelled")
            raise

    a = asyncio.create_task(getter("a"))
    b = asyncio.create_task(getter("b"))
    await asyncio.sleep(0)
    q.put_nowait("item")
    a.cancel()
    await asyncio.gather(a, b, return_exceptions=True)
    log("qsize", q.qsize())


@case
async def priority_queue_order(log):
    q = asyncio.PriorityQueue()
    for item in [(3, "c"), (1, "a"), (2, "b"), (1, "a2")]:
        q.put_nowait(item)
    log("got", fmt([q.get_nowait() for _ in range(4)]))


@case
async def lifo_queue_order(log):
    q = asyncio.LifoQueue()
    for i in range(4):
        q.put_nowait(i)
    log("got", fmt([q.get_nowait() for _ in range(4)]))


@case
async def queue_shutdown_wakes_getters(log):
    q = asyncio.Queue()

    async def getter(name):
        try:
            await q.get()
        except asyncio.QueueShutDown as e:
            log(name, "sees", ename(e), "at", log.now())

    ts = [asyncio.create_task(getter(n)) for n in ("a", "b")]
    await sleep(1)
    q.shutdown()
    await asyncio.gather(*ts)
    try:
        q.put_nowait(1)
    except asyncio.QueueShutDown as e:
        log("put after shutdown:", ename(e))


@case
async def queue_shutdown_drains_then_raises(log):
    q = asyncio.Queue()
    q.put_nowait("left")
    q.shutdown()
    log("get", await q.get())
    try:
        await q.get()
    except asyncio.QueueShutDown as e:
        log("then", ename(e))


@case
async def queue_shutdown_immediate_releases_join(log):
    q = asyncio.Queue()
    for i in range(3):
        q.put_nowait(i)

    async def joiner():
        await q.join()
        log("join returned at", log.now())

    j = asyncio.create_task(joiner())
    await sleep(1)
    q.shutdown(immediate=True)
    log("qsize", q.qsize())
    await j


@case
async def queue_putter_woken_by_get(log):
    q = asyncio.Queue(1)
    q.put_nowait("first")

    async def putter():
        await q.put("second")
        log("second put at", log.now())

    t = asyncio.create_task(putter())
    await sleep(1)
    log("got", q.get_nowait())
    await t
    log("then got", q.get_nowait())
