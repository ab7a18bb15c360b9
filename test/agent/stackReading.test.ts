// The agent's own readings of stacks: a record's location (only the innermost user frame is
// formatted, and it must be the frame the full formatting would give first) and where an exception
// was raised (from its stack text, the runtime's frames skipped).
import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { captureStack, userFrames, type CapturedStack } from '../../runtime/src/stacks';
import { firstFrame } from '../../runtime/src/agent/sampling';
import { throwSite } from '../../runtime/src/agent/throwSite';
import { Future } from '../../runtime/src/future';
import { EventLoop } from '../../runtime/src/loop';

const THIS_FILE = fileURLToPath(import.meta.url);

function capturedIn(): CapturedStack {
  return (function inner() {
    return captureStack();
  })();
}

describe('firstFrame', () => {
  it('is the first of userFrames(), whichever is asked first, and the whole stack stays readable', () => {
    const a = capturedIn();
    const fromFirst = firstFrame(a);
    const all = userFrames(a);
    expect(all.length).toBeGreaterThan(1);
    expect(fromFirst).toEqual({ file: all[0].file, line: all[0].line, column: all[0].column, function: all[0].function });
    expect(fromFirst).toMatchObject({ file: THIS_FILE, function: 'inner' });

    const b = capturedIn();
    const whole = userFrames(b);
    expect(firstFrame(b)).toEqual({ ...whole[0] });
    expect(firstFrame(null)).toBeUndefined();
  });
});

describe('throwSite', () => {
  it('is the innermost frame of the user code that raised', () => {
    function raiser(): never {
      throw new RangeError('out');
    }
    let caught: unknown;
    try {
      raiser();
    } catch (e) {
      caught = e;
    }
    expect(throwSite(caught)).toMatchObject({ file: THIS_FILE, function: 'raiser' });
  });

  it("skips the runtime's own frames: an error the runtime raises is placed at the user's call", () => {
    const loop = new EventLoop();
    const fut = new Future<number>(loop);
    let caught: unknown;
    try {
      (function askTooEarly() {
        fut.result(); // InvalidStateError, thrown inside future.ts
      })();
    } catch (e) {
      caught = e;
    }
    expect((caught as Error).name).toBe('InvalidStateError');
    expect(throwSite(caught)).toMatchObject({ file: THIS_FILE, function: 'askTooEarly' });
  });

  it('has nothing to say about what is not an Error, or has no stack', () => {
    expect(throwSite('boom')).toBeUndefined();
    expect(throwSite({ stack: 'at x (/a.ts:1:1)' })).toBeUndefined();
    const e = new Error('no stack');
    e.stack = undefined;
    expect(throwSite(e)).toBeUndefined();
    const native = new Error('only node frames');
    native.stack = 'Error: only node frames\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)';
    expect(throwSite(native)).toBeUndefined();
  });
});
