// A debugger that misbehaves must never harm the program: garbage and oversized frames are refused,
// a debugger that stops reading loses events (counted) but never stalls the program or grows its
// memory, and a debugger that vanishes (even while holding the loop stopped) lets it run on.
import { describe, it, expect, afterEach } from 'vitest';
import { run, createTask, sleep, gather } from 'loopscope';
import { hooks } from '../../runtime/src/hooks';
import { MAX_FRAME_BYTES } from '../../runtime/src/protocol/wire';
import { HIGH_WATER_BYTES } from '../../runtime/src/agent/session';
import { rawDebugger, until } from './helpers';

type Raw = Awaited<ReturnType<typeof rawDebugger>>;
let raw: Raw | null = null;
afterEach(() => {
  raw?.cleanup();
  raw = null;
});

function* spinner(steps: number) {
  for (let i = 0; i < steps; i++) yield* sleep(0);
}
function* busy(tasks: number, steps: number) {
  yield* gather(Array.from({ length: tasks }, (_, i) => createTask(spinner(steps), { name: `spin-${i}` })));
  return 'finished';
}

const noHooks = () => Object.values(hooks).every((fns) => fns === null);

describe('agent flow control and hostile input', () => {
  it('answers malformed JSON and unknown messages with an error and stays usable', async () => {
    raw = await rawDebugger();
    const r = raw;
    const done = run(busy(2, 200));
    r.send('{"type":"request", oops');
    r.send('[1,2,3]');
    r.send({ type: 'frobnicate' });
    r.send({ type: 'request', command: 'readyQueue', args: {} });
    r.send({ type: 'request', id: 5, command: 'readyQueue', args: {} });
    await until(() => r.messages.some((m) => m.type === 'response' && m.id === 5), 5000, 'the response');
    const errors = r.messages.filter((m) => m.type === 'error');
    expect(errors.map((e) => e.code)).toEqual(['malformed', 'malformed', 'malformed', 'malformed']);
    expect(errors[0].message).toMatch(/not valid JSON/);
    expect(errors[1].message).toMatch(/must be a JSON object, got an array/);
    expect(errors[2].message).toMatch(/unknown message type "frobnicate"/);
    expect(errors[3].message).toMatch(/integer "id"/);
    expect(r.messages.find((m) => m.id === 5)).toMatchObject({ ok: true, body: { callbacks: expect.any(Number) } });
    expect(await done).toBe('finished');
  });

  it('closes on a frame over MAX_FRAME_BYTES with too-large; the program finishes without the debugger', async () => {
    raw = await rawDebugger();
    const r = raw;
    const closed = new Promise<void>((res) => r.socket.on('close', () => res()));
    const done = run(busy(4, 3000));
    const chunk = 'x'.repeat(1024 * 1024);
    for (let sent = 0; sent <= MAX_FRAME_BYTES && !r.socket.destroyed; sent += chunk.length) {
      await new Promise<void>((res) => r.socket.write(chunk, () => res()));
    }
    await closed;
    expect(r.messages.at(-1)).toMatchObject({ type: 'error', code: 'too-large' });
    expect(await done).toBe('finished');
    await until(() => r.session.isClosed, 5000, 'the session to end');
    expect(noHooks()).toBe(true);
  });

  it('a debugger that stops reading never stalls the program; memory stays bounded; lost events are counted', async () => {
    raw = await rawDebugger();
    const r = raw;
    r.send({ type: 'request', id: 1, command: 'setOptions', args: { timeline: true, flushIntervalMs: 10 } });
    await until(() => r.messages.some((m) => m.id === 1));
    // Stop reading: the kernel's buffers fill, then the agent's socket buffer.
    r.socket.pause();
    const framed = (r.session as unknown as { framed: { writableLength: number } }).framed;
    let maxBuffered = 0;
    const probe = setInterval(() => (maxBuffered = Math.max(maxBuffered, framed.writableLength)), 1);
    const TASKS = 200;
    const t0 = Date.now();
    const STEPS = 4000;
    const result = await run(busy(TASKS, STEPS), { name: 'main' });
    clearInterval(probe);
    expect(result).toBe('finished');
    expect(Date.now() - t0).toBeLessThan(60_000);
    // Nothing is buffered beyond the high-water mark plus the batches in flight when it was crossed.
    expect(maxBuffered).toBeLessThan(HIGH_WATER_BYTES + 8 * 1024 * 1024);

    // Read again: the rest arrives, with the losses counted, and the picture is complete.
    r.socket.resume();
    await until(() => r.messages.some((m) => m.type === 'loopClosed'), 30_000, 'loopClosed');
    const deltas = r.messages.filter((m) => m.type === 'delta');
    const dropped = deltas.reduce((n, d) => n + (d.dropped ?? 0), 0);
    const droppedTasks = deltas.reduce((n, d) => n + (d.droppedTasks ?? 0), 0);
    const events = deltas.reduce((n, d) => n + (d.events?.length ?? 0), 0);
    expect(dropped).toBeGreaterThan(0);
    // Each step makes at least 2 timeline events; none is both sent and counted as dropped, none is lost uncounted.
    expect(events + dropped).toBeGreaterThanOrEqual(TASKS * STEPS * 2);
    const final = new Map<number, { state: string }>();
    for (const m of r.messages) {
      if (m.type === 'snapshot') for (const t of m.tasks) final.set(t.id, t);
      if (m.type === 'delta') for (const t of m.tasks) final.set(t.id, t);
    }
    expect([...final.values()].every((t) => ['done', 'failed', 'cancelled'].includes(t.state))).toBe(true);
    // Every task is either known with its final state or counted as dropped.
    expect(final.size + droppedTasks).toBe(TASKS + 1);
    const seqs = r.messages.filter((m) => m.type === 'delta' || m.type === 'snapshot').map((m) => m.seq);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0] + i));
  });

  it('a debugger vanishing mid-stream leaves the program running to its end, hooks removed', async () => {
    raw = await rawDebugger();
    const r = raw;
    const state = { stop: false, steps: 0 };
    function* worker() {
      while (!state.stop) {
        state.steps++;
        yield* sleep(0);
      }
    }
    function* main() {
      yield* gather(Array.from({ length: 20 }, () => createTask(worker())));
      return 'finished';
    }
    const done = run(main());
    await until(() => r.messages.filter((m) => m.type === 'delta').length >= 3, 10_000, 'some deltas');
    r.socket.destroy();
    await until(() => r.session.isClosed, 10_000, 'the session to end');
    expect(noHooks()).toBe(true);
    // The program goes on without the debugger.
    const before = state.steps;
    await until(() => state.steps > before + 1000, 10_000, 'more steps');
    state.stop = true;
    expect(await done).toBe('finished');
  });

  it('a debugger vanishing while it holds the loop stopped lets the program go on', async () => {
    raw = await rawDebugger();
    const r = raw;
    const flag = { stop: false };
    function* untilFlag() {
      while (!flag.stop) yield* sleep(1);
      return 'finished';
    }
    const done = run(untilFlag());
    await until(() => r.messages.some((m) => m.type === 'delta'));
    r.send({ type: 'request', id: 9, command: 'pause', args: {} });
    await until(() => r.messages.some((m) => m.type === 'stopped'), 10_000, 'stopped');
    flag.stop = true;
    r.socket.destroy();
    expect(await done).toBe('finished');
    expect(noHooks()).toBe(true);
  });
});
