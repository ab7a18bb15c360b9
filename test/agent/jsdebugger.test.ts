// When a breakpoint stops the loop and a JavaScript debugger is attached, the runtime also stops in
// it, with the user's coroutine frames below the runtime's frame (here the JS debugger is an
// in-thread inspector session, which sees the pause and resumes at once).
import { describe, it, expect, afterEach } from 'vitest';
import * as inspector from 'node:inspector';
import { run, createTask, sleep } from 'loopscope';
import { inProcessDebugger, type InProcess } from './helpers';

let dbg: InProcess | null = null;
let session: inspector.Session | null = null;
afterEach(() => {
  dbg?.cleanup();
  dbg = null;
  session?.disconnect();
  session = null;
  inspector.close();
});

function* leaf(n: number) {
  yield* sleep(1);
  return n;
}
function* outer() {
  const secret = 'local-in-outer';
  const v = yield* leaf(42);
  return secret.length + v;
}

describe('JavaScript debugger', () => {
  it('stops in a runtime frame with the coroutine frames below it, only when one is attached', async () => {
    dbg = await inProcessDebugger({ stopOnEntry: true });
    const d = dbg;
    // Learn where leaf suspends, as the agent sees it (vitest compiles the test file itself).
    const entry = d.nextStop();
    const first = run(
      (function* () {
        const t = createTask(outer(), { name: 'outer' });
        return yield* t;
      })(),
    );
    await entry;
    await d.conn.request('setOptions', { stacks: 'always' });
    let stop = d.nextStop();
    await d.conn.request('step', {});
    await stop;
    stop = d.nextStop();
    await d.conn.request('stepTask', { taskId: d.model.byName('outer').id });
    const s = await stop;
    const where = s.location!;
    expect(where.function).toBe('leaf');
    await d.conn.request('resume', {});
    expect(await first).toBe(56);

    // Without a JS debugger: the breakpoint stops the loop only.
    expect(inspector.url()).toBeUndefined();
    await d.conn.request('setBreakpoints', { breakpoints: [{ id: 1, file: where.file, line: where.line }] });
    let hit = d.nextStop();
    const second = run(outer());
    expect((await hit).reason).toBe('breakpoint');
    await d.conn.request('resume', {});
    expect(await second).toBe(56);

    // With one attached: it pauses on the runtime's `debugger;`, the coroutine's frames below.
    inspector.open(0);
    session = new inspector.Session();
    session.connect();
    const pauses: { functions: string[] }[] = [];
    session.on('Debugger.paused', (m) => {
      pauses.push({ functions: m.params.callFrames.map((f) => f.functionName) });
      session!.post('Debugger.resume');
    });
    session.post('Debugger.enable');
    hit = d.nextStop();
    const third = run(outer());
    const stopped = await hit;
    expect(stopped).toMatchObject({ reason: 'breakpoint', breakpointIds: [1] });
    expect(pauses).toHaveLength(1);
    const fns = pauses[0].functions;
    expect(fns[0]).toBe('breakIntoJsDebugger');
    expect(fns.indexOf('leaf')).toBeGreaterThan(0);
    expect(fns.indexOf('outer')).toBeGreaterThan(fns.indexOf('leaf'));
    await d.conn.request('resume', {});
    expect(await third).toBe(56);
  });
});
