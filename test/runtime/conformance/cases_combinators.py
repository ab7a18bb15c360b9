"""Conformance cases for the combinators, CPython side (twins in cases_combinators.ts)."""
import asyncio

from harness import Boom, case, ename, fmt, names, sleep


async def job(log, name, ticks, result=None, fail=False):
    try:
        await sleep(ticks)
    except asyncio.CancelledError:
        log(name, "cancelled at", log.now())
        raise
    if fail:
        log(name, "fails at", log.now())
        raise Boom(name)
    log(name, "done at", log.now())
    return result if result is not None else name


# ------------------------------------------------------------------ gather


@case
async def gather_results_in_argument_order(log):
    r = await asyncio.gather(job(log, "slow", 3), job(log, "fast", 1), job(log, "mid", 2))
    log("results", fmt(r))


@case
async def gather_first_exception_fails_fast(log):
    g = asyncio.gather(job(log, "a", 3), job(log, "b", 1, fail=True), job(log, "c", 2))
    try:
        await g
    except Boom as e:
        log("gather failed with", fmt(e), "at", log.now())
    await sleep(5)
    log("end")


@case
async def gather_return_exceptions(log):
    r = await asyncio.gather(job(log, "a", 1), job(log, "b", 2, fail=True), return_exceptions=True)
    log("results", fmt(r))


@case
async def gather_cancel_outer_cancels_children(log):
    g = asyncio.gather(job(log, "a", 5), job(log, "b", 5))
    await sleep(1)
    log("cancel ->", g.cancel("enough"))
    try:
        await g
    except asyncio.CancelledError as e:
        log("gather", fmt(e))
    log("cancelled", g.cancelled())


@case
async def gather_child_cancelled(log):
    t = asyncio.create_task(job(log, "victim", 5))
    g = asyncio.gather(t, job(log, "other", 2))
    await sleep(1)
    t.cancel()
    try:
        await g
    except asyncio.CancelledError as e:
        log("gather raised", ename(e), "at", log.now())
    await sleep(2)


@case
async def gather_child_cancelled_return_exceptions(log):
    t = asyncio.create_task(job(log, "victim", 5))
    g = asyncio.gather(t, job(log, "other", 2), return_exceptions=True)
    await sleep(1)
    t.cancel("bye")
    log("results", fmt(await g))


@case
async def gather_empty(log):
    log("empty", fmt(await asyncio.gather()))


@case
async def gather_same_task_twice(log):
    t = asyncio.create_task(job(log, "once", 1))
    log("results", fmt(await asyncio.gather(t, t)))


@case
async def gather_already_done_futures(log):
    loop = asyncio.get_running_loop()
    f1 = loop.create_future()
    f1.set_result(1)
    f2 = loop.create_future()
    f2.set_result(2)
    g = asyncio.gather(f1, f2)
    log("done immediately", g.done())
    log("results", fmt(await g))


# ------------------------------------------------------------------ wait


@case
async def wait_first_completed(log):
    ts = [asyncio.create_task(job(log, n, t), name=n) for n, t in [("a", 3), ("b", 1), ("c", 2)]]
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)
    log("done", names(done), "pending", names(pending), "at", log.now())
    # Cancel in name order: a set's iteration order is arbitrary in CPython.
    for t in sorted(pending, key=lambda t: t.get_name()):
        t.cancel()
    await asyncio.wait(pending)


@case
async def wait_first_exception(log):
    ts = [
        asyncio.create_task(job(log, "a", 1), name="a"),
        asyncio.create_task(job(log, "b", 2, fail=True), name="b"),
        asyncio.create_task(job(log, "c", 3), name="c"),
    ]
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_EXCEPTION)
    log("done", names(done), "pending", names(pending), "at", log.now())
    log("b exception", fmt(ts[1].exception()))
    await asyncio.wait(pending)


@case
async def wait_all_completed_with_timeout(log):
    ts = [asyncio.create_task(job(log, n, t), name=n) for n, t in [("a", 1), ("b", 4)]]
    done, pending = await asyncio.wait(ts, timeout=2 * 0.05)
    log("done", names(done), "pending", names(pending), "at", log.now())
    log("b still running", not ts[1].done())
    await ts[1]


@case
async def wait_rejects_bad_input(log):
    try:
        await asyncio.wait([])
    except ValueError as e:
        log("empty:", ename(e))
    coro = job(log, "x", 1)
    try:
        await asyncio.wait([coro])
    except TypeError as e:
        log("coroutine:", ename(e))
    coro.close()
    t = asyncio.create_task(job(log, "y", 1))
    try:
        await asyncio.wait([t], return_when="SOMETIMES")
    except ValueError as e:
        log("bad return_when:", ename(e))
    await t


# ------------------------------------------------------------------ wait_for


@case
async def wait_for_in_time(log):
    log("got", await asyncio.wait_for(job(log, "quick", 1), timeout=3 * 0.05))


@case
async def wait_for_times_out_and_cancels(log):
    try:
        await asyncio.wait_for(job(log, "slow", 5), timeout=2 * 0.05)
    except TimeoutError as e:
        log("timeout", ename(e), "at", log.now(), "cause", ename(e.__cause__))


@case
async def wait_for_task_times_out(log):
    t = asyncio.create_task(job(log, "slow", 5))
    try:
        await asyncio.wait_for(t, timeout=1 * 0.05)
    except TimeoutError:
        log("timeout at", log.now())
    await asyncio.sleep(0)
    log("task cancelled", t.cancelled())


@case
async def wait_for_zero_timeout(log):
    t = asyncio.create_task(job(log, "never started", 1))
    try:
        await asyncio.wait_for(t, timeout=0)
    except TimeoutError:
        log("timeout at", log.now(), "cancelled", t.cancelled())
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.set_result("done already")
    log("done future:", await asyncio.wait_for(f, 0))


@case
async def wait_for_none_waits(log):
    log("got", await asyncio.wait_for(job(log, "long", 4), None))


@case
async def wait_for_outer_cancel_is_not_timeout(log):
    async def waiter():
        try:
            await asyncio.wait_for(job(log, "inner", 10), timeout=5 * 0.05)
        except asyncio.CancelledError:
            log("waiter cancelled (not a timeout) at", log.now())
            raise

    t = asyncio.create_task(waiter())
    await sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        log("cancelled", t.cancelled())


# ------------------------------------------------------------------ timeout


@case
async def timeout_expires(log):
    try:
        async with asyncio.timeout(2 * 0.05) as cm:
            await job(log, "body", 5)
    except TimeoutError:
        log("timeout at", log.now(), "expired", cm.expired())


@case
async def timeout_not_reached(log):
    async with asyncio.timeout(5 * 0.05) as cm:
        r = await job(log, "body", 1)
    log("result", r, "expired", cm.expired())


@case
async def timeout_reschedule_later(log):
    try:
        async with asyncio.timeout(2 * 0.05) as cm:
            cm.reschedule(asyncio.get_running_loop().time() + 4 * 0.05)
            await job(log, "body", 6)
    except TimeoutError:
        log("timeout at", log.now())


@case
async def timeout_none_then_reschedule(log):
    try:
        async with asyncio.timeout(None) as cm:
            log("when", cm.when())
            cm.reschedule(asyncio.get_running_loop().time() + 1 * 0.05)
            await job(log, "body", 3)
    except TimeoutError:
        log("timeout at", log.now())


@case
async def timeout_nested_inner_fires(log):
    try:
        async with asyncio.timeout(5 * 0.05):
            try:
                async with asyncio.timeout(1 * 0.05):
                    await job(log, "inner body", 3)
            except TimeoutError:
                log("inner timeout at", log.now())
            await job(log, "outer body", 10)
    except TimeoutError:
        log("outer timeout at", log.now())


@case
async def timeout_body_error_passes_through(log):
    try:
        async with asyncio.timeout(5 * 0.05):
            await job(log, "body", 1, fail=True)
    except Boom as e:
        log("got", fmt(e))


@case
async def timeout_catching_cancel_inside(log):
    async with asyncio.timeout(1 * 0.05) as cm:
        try:
            await job(log, "body", 3)
        except asyncio.CancelledError:
            log("body swallowed the cancellation")
    log("expired", cm.expired(), "at", log.now())


# ------------------------------------------------------------------ shield


@case
async def shield_protects_inner(log):
    inner = asyncio.create_task(job(log, "inner", 3))

    async def waiter():
        try:
            return await asyncio.shield(inner)
        except asyncio.CancelledError:
            log("waiter cancelled at", log.now())
            raise

    w = asyncio.create_task(waiter())
    await sleep(1)
    w.cancel()
    await asyncio.gather(w, return_exceptions=True)
    log("inner result", await inner, "cancelled", inner.cancelled())


@case
async def shield_passes_result_and_error(log):
    log("result", await asyncio.shield(job(log, "ok", 1)))
    try:
        await asyncio.shield(job(log, "bad", 1, fail=True))
    except Boom as e:
        log("error", fmt(e))


@case
async def shield_inner_cancelled(log):
    inner = asyncio.create_task(job(log, "inner", 3))
    outer = asyncio.shield(inner)
    await sleep(1)
    inner.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        log("outer cancelled", outer.cancelled())


# ------------------------------------------------------------------ as_completed


@case
async def as_completed_order(log):
    aws = [job(log, n, t) for n, t in [("c", 3), ("a", 1), ("b", 2)]]
    for nxt in asyncio.as_completed(aws):
        log("next:", await nxt)


@case
async def as_completed_error_in_order(log):
    aws = [job(log, "ok", 2), job(log, "bad", 1, fail=True)]
    for nxt in asyncio.as_completed(aws):
        try:
            log("next:", await nxt)
        except Boom as e:
            log("next raised", fmt(e))


@case
async def as_completed_timeout(log):
    ts = [asyncio.create_task(job(log, n, t)) for n, t in [("fast", 1), ("slow", 5)]]
    try:
        for nxt in asyncio.as_completed(ts, timeout=2 * 0.05):
            log("next:", await nxt)
    except TimeoutError:
        log("timed out at", log.now())
    await ts[1]


# ------------------------------------------------------------------ TaskGroup


@case
async def taskgroup_all_succeed(log):
    async with asyncio.TaskGroup() as tg:
        ts = [tg.create_task(job(log, n, t)) for n, t in [("a", 2), ("b", 1)]]
        log("body done at", log.now())
    log("group done at", log.now(), "results", fmt([t.result() for t in ts]))


@case
async def taskgroup_child_fails_cancels_siblings(log):
    async def holder(name):
        try:
            await sleep(10)
        finally:
            log(name, "cleanup starts")
            await sleep(1)
            log(name, "cleanup ends at", log.now())

    try:
        async with asyncio.TaskGroup() as tg:
            # One holder: TaskGroup cancels its tasks in the (arbitrary) order of a set.
            tg.create_task(holder("h1"))
            tg.create_task(job(log, "failer", 2, fail=True))
            await sleep(20)
            log("body not reached")
    except ExceptionGroup as eg:
        log("group error", fmt(eg), "at", log.now())
    log("after group, cancelling", asyncio.current_task().cancelling())


@case
async def taskgroup_two_children_fail(log):
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(job(log, "x", 1, fail=True))
            tg.create_task(job(log, "y", 1, fail=True))
            tg.create_task(job(log, "z", 3))
    except ExceptionGroup as eg:
        log("group error", fmt(eg))


@case
async def taskgroup_body_raises(log):
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(job(log, "child", 3))
            await sleep(1)
            raise Boom("body")
    except ExceptionGroup as eg:
        log("group error", fmt(eg), "at", log.now())


@case
async def taskgroup_parent_cancelled(log):
    async def parent():
        try:
            async with asyncio.TaskGroup() as tg:
                tg.create_task(job(log, "child", 5))
                await sleep(10)
        except asyncio.CancelledError:
            log("parent sees CancelledError at", log.now())
            raise

    p = asyncio.create_task(parent())
    await sleep(1)
    p.cancel()
    await asyncio.gather(p, return_exceptions=True)
    log("parent cancelled", p.cancelled())


@case
async def taskgroup_create_task_after_exit(log):
    async with asyncio.TaskGroup() as tg:
        pass
    coro = job(log, "late", 1)
    try:
        tg.create_task(coro)
    except RuntimeError as e:
        log("late create_task:", ename(e))
    coro.close()


@case
async def taskgroup_nested_failure(log):
    async def inner_group():
        async with asyncio.TaskGroup() as tg:
            tg.create_task(job(log, "deep", 1, fail=True))
            tg.create_task(job(log, "deep sibling", 4))

    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(inner_group())
            tg.create_task(job(log, "outer sibling", 4))
    except ExceptionGroup as eg:
        log("group error", fmt(eg))


@case
async def taskgroup_child_catches_cancel(log):
    async def stubborn():
        try:
            await sleep(5)
        except asyncio.CancelledError:
            log("stubborn refuses at", log.now())
        await sleep(1)
        log("stubborn finishes at", log.now())
        return "done anyway"

    try:
        async with asyncio.TaskGroup() as tg:
            s = tg.create_task(stubborn())
            tg.create_task(job(log, "failer", 1, fail=True))
    except ExceptionGroup as eg:
        log("group error", fmt(eg), "stubborn result", s.result())
