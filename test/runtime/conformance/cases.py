"""Conformance cases, CPython side. Each has a twin of the same name in cases.ts."""
import asyncio

from harness import Boom, case, ename, fmt, names, sleep

# ------------------------------------------------------------------ tasks and the loop


@case
async def create_task_runs_after_creator_suspends(log):
    async def child():
        log("child starts")
        await sleep(100)
        log("child ends")

    log("creating")
    asyncio.create_task(child())
    log("created")
    for i in range(3):
        log(i)


@case
async def sleep0_round_robin(log):
    async def worker(name):
        for i in range(3):
            log(name, i)
            await asyncio.sleep(0)

    await asyncio.gather(worker("a"), worker("b"), worker("c"))


@case
async def equal_deadlines_fire_in_creation_order(log):
    async def sleeper(name, ticks):
        await sleep(ticks)
        log(name, "woke at", log.now())

    tasks = [asyncio.create_task(sleeper(n, t)) for n, t in [("x", 2), ("y", 1), ("z", 2), ("w", 1)]]
    for t in tasks:
        await t


@case
async def await_task_result(log):
    async def compute():
        await sleep(1)
        return 42

    t = asyncio.create_task(compute())
    log("result", await t)
    log("done", t.done(), "cancelled", t.cancelled(), "result()", t.result())
    return "ok"


@case
async def await_task_exception(log):
    async def bad():
        await sleep(1)
        raise Boom("bad")

    t = asyncio.create_task(bad())
    try:
        await t
    except Boom as e:
        log("caught", fmt(e))
    log("exception()", fmt(t.exception()))


@case
async def cancel_before_first_step(log):
    async def never():
        log("body ran")

    t = asyncio.create_task(never())
    log("cancel ->", t.cancel())
    try:
        await t
    except asyncio.CancelledError as e:
        log("caught", fmt(e))
    log("cancelled", t.cancelled())


@case
async def cancel_with_message_at_sleep(log):
    async def sleeper():
        try:
            await sleep(10)
        except asyncio.CancelledError as e:
            log("sleeper got", fmt(e))
            raise

    t = asyncio.create_task(sleeper())
    await sleep(1)
    t.cancel("stop now")
    try:
        await t
    except asyncio.CancelledError as e:
        log("awaiter got", fmt(e))
    log("cancelled", t.cancelled())


@case
async def cancel_caught_and_carried_on(log):
    async def stubborn():
        try:
            await sleep(10)
        except asyncio.CancelledError:
            log("caught at", log.now(), "cancelling", asyncio.current_task().cancelling())
        await sleep(1)
        return "survived"

    t = asyncio.create_task(stubborn())
    await sleep(1)
    t.cancel()
    r = await t
    log("result", r, "cancelled", t.cancelled(), "cancelling", t.cancelling())


@case
async def cancelling_and_uncancel_count(log):
    async def sleeper():
        try:
            await sleep(10)
        except asyncio.CancelledError:
            task = asyncio.current_task()
            log("cancelling", task.cancelling())
            log("uncancel ->", task.uncancel())
            log("uncancel ->", task.uncancel())
            return "uncancelled"

    t = asyncio.create_task(sleeper())
    await sleep(1)
    log("cancel ->", t.cancel())
    log("cancel ->", t.cancel())
    log("cancelling", t.cancelling())
    log("result", await t)


@case
async def cancel_done_task_returns_false(log):
    async def quick():
        return 1

    t = asyncio.create_task(quick())
    await t
    log("cancel ->", t.cancel(), "cancelled", t.cancelled())


@case
async def cancel_propagates_to_awaited_task(log):
    async def inner():
        try:
            await sleep(10)
        except asyncio.CancelledError:
            log("inner cancelled")
            raise

    async def outer(t):
        try:
            await t
        except asyncio.CancelledError:
            log("outer cancelled")
            raise

    ti = asyncio.create_task(inner())
    to = asyncio.create_task(outer(ti))
    await sleep(1)
    to.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    log("inner", ti.cancelled(), "outer", to.cancelled())


@case
async def cancel_self_raises_at_next_suspension(log):
    task = asyncio.current_task()
    task.cancel()
    log("still running")
    try:
        await asyncio.sleep(0)
    except asyncio.CancelledError:
        log("cancelled at the sleep")
    log("uncancel ->", task.uncancel())
    return "after"


@case
async def cancel_ready_task_woken_by_future(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter():
        try:
            r = await fut
            log("got", r)
        except asyncio.CancelledError:
            log("cancelled instead")
            raise

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    fut.set_result("value")
    t.cancel()
    await asyncio.gather(t, return_exceptions=True)
    log("cancelled", t.cancelled())


@case
async def done_callbacks_are_scheduled_not_called(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.add_done_callback(lambda f: log("cb1", f.result()))
    fut.add_done_callback(lambda f: log("cb2", f.result()))
    fut.set_result(7)
    log("after set_result")
    fut.add_done_callback(lambda f: log("cb3 late"))
    await asyncio.sleep(0)
    log("after one iteration")


@case
async def remove_done_callback(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    def cb(f):
        log("cb")

    fut.add_done_callback(cb)
    fut.add_done_callback(cb)
    log("removed", fut.remove_done_callback(cb))
    fut.set_result(None)
    await asyncio.sleep(0)
    log("end")


@case
async def future_state_errors(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    for op in ("result", "exception"):
        try:
            getattr(fut, op)()
        except asyncio.InvalidStateError as e:
            log(op, "on pending:", ename(e))
    fut.set_result(1)
    try:
        fut.set_result(2)
    except asyncio.InvalidStateError as e:
        log("second set_result:", ename(e))
    try:
        fut.set_exception(Boom("x"))
    except asyncio.InvalidStateError as e:
        log("set_exception after result:", ename(e))
    c = loop.create_future()
    c.cancel("why")
    try:
        c.result()
    except asyncio.CancelledError as e:
        log("result on cancelled:", fmt(e))
    try:
        c.exception()
    except asyncio.CancelledError as e:
        log("exception on cancelled:", fmt(e))
    log("cancel again ->", c.cancel())


@case
async def future_set_by_timer(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_later(3 * 0.05, fut.set_result, "late")
    log("waiting at", log.now())
    log("got", await fut, "at", log.now())


@case
async def awaiting_a_done_future_does_not_suspend(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.set_result("ready")

    async def other():
        log("other runs")

    asyncio.create_task(other())
    log("got", await fut)
    log("before yielding")
    await asyncio.sleep(0)
    log("after yielding")


@case
async def nested_coroutines_run_inline(log):
    async def leaf(n):
        log("leaf", n)
        return n * 2

    async def middle():
        a = await leaf(1)
        b = await leaf(2)
        return a + b

    async def other():
        log("other runs")

    asyncio.create_task(other())
    log("middle ->", await middle())
    await asyncio.sleep(0)


@case
async def call_soon_interleaves_with_tasks(log):
    loop = asyncio.get_running_loop()

    async def task(name):
        log(name, "step 1")
        await asyncio.sleep(0)
        log(name, "step 2")

    asyncio.create_task(task("t1"))
    loop.call_soon(log, "callback A")
    asyncio.create_task(task("t2"))
    loop.call_soon(log, "callback B")
    await asyncio.sleep(0)
    log("main resumed")
    await asyncio.sleep(0)
    log("main resumed again")


@case
async def call_later_and_call_at_order(log):
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    t0 = loop.time()
    loop.call_later(2 * 0.05, log, "later 2")
    loop.call_at(t0 + 1 * 0.05, log, "at 1")
    loop.call_later(1 * 0.05, log, "later 1")
    h = loop.call_later(1 * 0.05, log, "cancelled timer")
    h.cancel()
    loop.call_later(3 * 0.05, done.set_result, None)
    await done
    log("end at", log.now())


@case
async def current_task_and_all_tasks(log):
    async def child():
        await sleep(1)

    me = asyncio.current_task()
    log("current is main", asyncio.current_task() is me)
    t = asyncio.create_task(child())
    log("all tasks", len(asyncio.all_tasks()))
    await t
    log("all tasks", len(asyncio.all_tasks()))


@case
async def sleep_returns_its_value(log):
    log("got", await sleep(1, "v"), await asyncio.sleep(0, "w"))


@case
async def run_cancels_leftover_tasks(log):
    async def leftover(name):
        try:
            await sleep(100)
        except asyncio.CancelledError:
            log(name, "cancelled at shutdown")
            await asyncio.sleep(0)
            log(name, "cleanup done")
            raise

    # One leftover: asyncio cancels leftovers in the (unordered) order of a WeakSet.
    asyncio.create_task(leftover("a"))
    await asyncio.sleep(0)
    log("main returns")
    return "main result"


@case
async def main_exception_propagates(log):
    await sleep(1)
    raise Boom("from main")


@case
async def task_waiting_on_cancelled_future(log):
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter():
        try:
            await fut
        except asyncio.CancelledError as e:
            log("waiter got", fmt(e))
            return "handled"

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    fut.cancel("future cancelled")
    log("result", await t)


@case
async def exception_chain_through_awaits(log):
    async def level3():
        await asyncio.sleep(0)
        raise Boom("deep")

    async def level2():
        return await level3()

    async def level1():
        try:
            return await level2()
        finally:
            log("level1 finally")

    try:
        await asyncio.create_task(level1())
    except Boom as e:
        log("caught", fmt(e))
