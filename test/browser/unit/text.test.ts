// Pure helpers of the webview: stack lines, the timeline's axis and viewport, saved state, the banner's words.
import { describe, it, expect } from 'vitest';
import { parseStackLine, parseStack, firstUserFrame } from '../../../webview/src/exceptions/stackFrames';
import { TimeViewport, tickStep, tickLabel, offsetText, durationText } from '../../../webview/src/timeline/viewport';
import { parseState } from '../../../webview/src/vscodeApi';
import { pausedText } from '../../../webview/src/ui/banner';

describe('stack lines', () => {
  it('reads V8 frames with and without a function, file URLs and Windows paths', () => {
    expect(parseStackLine('    at parseLine (/p/a.ts:39:34)').frame).toEqual({ file: '/p/a.ts', line: 39, column: 34, function: 'parseLine' });
    expect(parseStackLine('    at /p/a.ts:3:4').frame).toEqual({ file: '/p/a.ts', line: 3, column: 4, function: '' });
    expect(parseStackLine('    at async run (file:///p/my%20dir/a.ts:3:4)').frame).toEqual({ file: '/p/my dir/a.ts', line: 3, column: 4, function: 'run' });
    expect(parseStackLine('    at f (file:///C:/w/a.ts:1:2)').frame?.file).toBe('C:/w/a.ts');
    expect(parseStackLine('    at f (C:\\w\\a.ts:1:2)').frame?.file).toBe('C:\\w\\a.ts');
  });

  it('leaves Node\'s own and anonymous frames as plain text', () => {
    expect(parseStackLine('    at process.processImmediate (node:internal/timers:483:21)').frame).toBeUndefined();
    expect(parseStackLine('    at loadConfig.next (<anonymous>)').frame).toBeUndefined();
    expect(parseStackLine('TypeError: boom').frame).toBeUndefined();
  });

  it('opens the first frame outside node_modules', () => {
    const lines = parseStack('Error: x\n    at lib (/p/node_modules/dep/i.js:1:1)\n    at mine (/p/src/a.ts:5:6)');
    expect(firstUserFrame(lines)?.file).toBe('/p/src/a.ts');
    expect(firstUserFrame(parseStack('Error: x\n    at lib (/p/node_modules/dep/i.js:1:1)'))?.file).toBe('/p/node_modules/dep/i.js');
  });
});

describe('timeline viewport', () => {
  it('fit shows everything from the origin; follow slides with now once the data is wider than the view', () => {
    const v = new TimeViewport({ start: 0, msPerPx: 0, follow: true });
    expect(v.resolve(1000, 2000, 1000)).toEqual({ start: 1000, msPerPx: 1.02 });
    v.pin({ start: 1000, msPerPx: 0.5 });
    expect(v.resolve(1000, 1200, 1000).start).toBe(1000);
    expect(v.resolve(1000, 3000, 1000).start).toBeCloseTo(3000 - 490);
  });

  it('zooming keeps the time under the pointer where it was', () => {
    const v = new TimeViewport({ start: 0, msPerPx: 0, follow: true });
    const before = { start: 100, msPerPx: 2 };
    v.zoomAt(before, 250, 0.5);
    expect(v.follow).toBe(false);
    expect(v.msPerPx).toBe(1);
    expect(v.start + 250 * v.msPerPx).toBe(100 + 250 * 2);
  });

  it('ticks are 1, 2 or 5 × 10^k and labelled in a fitting unit', () => {
    expect(tickStep(1, 90)).toBe(100);
    expect(tickStep(0.3, 90)).toBe(50);
    expect(tickStep(0.001, 90)).toBe(0.1);
    expect(tickLabel(1500, 500)).toBe('1.5 s');
    expect(tickLabel(2000, 1000)).toBe('2 s');
    expect(tickLabel(250, 50)).toBe('250 ms');
    expect(tickLabel(0.25, 0.05)).toBe('0.25 ms');
    expect(tickLabel(0.0004, 0.0001)).toBe('0.4 µs');
    expect(offsetText(1234.5)).toBe('+1.234 s');
    expect(offsetText(12.5)).toBe('+12.50 ms');
    expect(durationText(0.0123)).toBe('12.3 µs');
  });
});

describe('saved state', () => {
  it('takes what fits and defaults the rest', () => {
    expect(parseState(undefined)).toBeUndefined();
    expect(parseState({ view: 'timeline', selectedTaskId: 4, timeline: { start: 5, msPerPx: 0.5, follow: false }, filter: 'w' })).toEqual({
      view: 'timeline',
      selectedTaskId: 4,
      timeline: { start: 5, msPerPx: 0.5, follow: false },
      filter: 'w',
    });
    expect(parseState({ view: 'x', selectedTaskId: 'y', timeline: { msPerPx: -1 }, filter: 3 })).toEqual({ view: 'graph', selectedTaskId: null, timeline: { start: 0, msPerPx: 0, follow: true }, filter: '' });
  });
});

describe('banner words', () => {
  it('says "Paused" once', () => {
    expect(pausedText('paused (the loop is idle: no task is ready)')).toBe('Paused (the loop is idle: no task is ready)');
    expect(pausedText('Paused')).toBe('Paused');
    expect(pausedText('worker-2 suspended at a.ts:3')).toBe('Paused: worker-2 suspended at a.ts:3');
    expect(pausedText(undefined)).toBe('Paused');
  });
});
