// Slow steps and time per task in the extension: the adapter's 'loopscope/slowStep' becomes a
// Warning at the line the step resumed at and marks the task's row ("slow step 182 ms" in its
// description, asyncio's sentence in its tooltip); the tooltip shows busy, scheduled and idle time,
// brought up to now for the state the task is in; the status bar shows the loop's lag while it runs.
import { describe, it, expect, vi, afterEach } from 'vitest';
vi.mock('vscode', () => import('./fakes/vscode'));
import { activateWithSession, type Harness } from './harness';
import { fake, FakeDebugSession } from './fakes/vscode';
import { task, snapshot, delta, frame } from './records';
import type { SlowStepMessage } from '../../runtime/src/protocol/wire';
import type { TasksTreeProvider } from '../../extension/src/tasksView/tasksTreeProvider';
import type { TreeNode } from '../../extension/src/model/treeNodes';

let h: Harness;
afterEach(() => {
  h?.dispose();
  vi.useRealTimers();
});

const FILE = '/w/slow-step.ts';
const slow = (durationMs: number, over: Partial<SlowStepMessage> = {}): SlowStepMessage & { text: string } => {
  const m: SlowStepMessage = { type: 'slowStep', taskId: 2, name: 'loader', durationMs, thresholdMs: 100, time: 2210, resumedAt: frame(FILE, 23, 'download'), suspendedAt: frame(FILE, 32, 'loader'), ...over };
  return { ...m, text: `Executing loader took ${(durationMs / 1000).toFixed(3)} seconds (resumed at slow-step.ts:23, suspended at slow-step.ts:32)` };
};

const tasks = () => [
  task(1, { name: 'main', state: 'suspended', awaiting: { kind: 'task', taskId: 2 }, location: frame(FILE, 60, 'main') }),
  task(2, { name: 'loader', parentId: 1, state: 'suspended', since: 1000, steps: 201, awaiting: { kind: 'sleep', deadline: 5000, delay: 10 }, location: frame(FILE, 32, 'loader'), busyMs: 250.5, scheduledMs: 3.25, idleMs: 40, longestStepMs: 182.4, stepHistogram: [195, 0, 0, 2, 3, 0, 0, 0, 0, 0, 1] }),
];

function provider(): TasksTreeProvider {
  return h.view.options.treeDataProvider as TasksTreeProvider;
}

function item(id: number): { description: string; tooltip: { value: string } } {
  const p = provider();
  const all = [...p.getChildren(), ...p.getChildren(p.getChildren()[0])];
  const node = all.find((n: TreeNode) => n.kind === 'task' && n.taskId === id)!;
  return p.getTreeItem(node) as unknown as { description: string; tooltip: { value: string } };
}

describe('slow steps in the editor and the Tasks view', () => {
  it('warns at the line the step resumed at, once per line with its longest step and how many', () => {
    h = activateWithSession();
    const diagnostics = fake.diagnostics.find((c) => c.name === 'loopscope-slow-steps')!;
    h.emit('loopscope/snapshot', snapshot(tasks()));
    h.emit('loopscope/slowStep', slow(150));
    let list = diagnostics.entries.get(FILE)!;
    expect(list.map((d) => [d.range.start.line, d.severity, d.code, d.source])).toEqual([[22, 1, 'slow-step', 'Loopscope']]);
    expect(list[0]!.message).toBe('slow step: 150 ms in loader (resumed here, suspended at slow-step.ts:32): it held the loop, every other task waited');
    h.emit('loopscope/slowStep', slow(182.4));
    list = diagnostics.entries.get(FILE)!;
    expect(list).toHaveLength(1);
    expect(list[0]!.message).toBe('slow step: 182 ms in loader (resumed here, suspended at slow-step.ts:32): it held the loop, every other task waited (2 slow steps began here; the longest is shown)');
    // Kept after the session (a program often ends right after), dropped when a new Loopscope session starts.
    fake.debugEvents.terminate.fire(h.session);
    expect(diagnostics.entries.get(FILE)).toHaveLength(1);
    fake.debugEvents.start.fire(new FakeDebugSession('s2', 'loopscope'));
    expect(diagnostics.entries.size).toBe(0);
  });

  it("marks the task's row: 'slow step 182 ms' in its description, the sentence and its times in its tooltip", () => {
    vi.useFakeTimers();
    vi.setSystemTime(10_000);
    h = activateWithSession();
    // Loop time 1000 at wall time 10 000: the loader has been suspended (idle) for 500 ms more at 10 500.
    h.emit('loopscope/snapshot', snapshot(tasks(), { time: 1000 }));
    expect(item(2).description).not.toContain('slow step');
    h.emit('loopscope/slowStep', slow(182.4));
    vi.advanceTimersByTime(500);
    const row = item(2);
    expect(row.description).toMatch(/^slow step 182 ms · /);
    const tip = row.tooltip.value;
    expect(tip).toContain('Time: busy 251 ms · scheduled 3\\.3 ms · idle 540 ms');
    expect(tip).toContain('Longest step: 182 ms');
    expect(tip).toContain('Step durations: &lt;0\\.1 ms ×195, 0\\.5–1 ms ×2, 1–2 ms ×3, 100–200 ms ×1');
    expect(tip).toContain('Slow step: Executing loader took 0\\.182 seconds \\(resumed at slow\\-step\\.ts:23, suspended at slow\\-step\\.ts:32\\)');
    // A shorter slow step later does not replace the longest.
    h.emit('loopscope/slowStep', slow(120));
    expect(item(2).description).toMatch(/^slow step 182 ms · /);
  });

  it("the status bar shows the loop's lag while the loop runs, not while it is stopped", () => {
    vi.useFakeTimers();
    h = activateWithSession();
    h.emit('loopscope/snapshot', snapshot(tasks()));
    vi.advanceTimersByTime(200);
    const bar = fake.statusBarItems.find((i) => i.id === 'loopscope.taskCounts')!;
    expect(bar.text).not.toContain('loop lag');
    h.emit('loopscope/loopLag', { type: 'loopLag', meanMs: 0.31, maxMs: 12.2, steps: 48210, periodMs: 1003 });
    expect(bar.text).toBe('$(debug-pause) 2 · loop lag 0.3 ms');
    expect(bar.tooltip).toContain('loop lag: 0.3 ms on average, 12 ms at most, over 48,210 steps in the last 1.0 s');
    h.emit('loopscope/stopped', { reason: 'pause', description: 'paused' });
    vi.advanceTimersByTime(200);
    expect(bar.text).toBe('$(debug-pause) 2');
    h.emit('loopscope/continued', {});
    // A period with no step: the loop was idle, nothing to say.
    h.emit('loopscope/loopLag', { type: 'loopLag', meanMs: 0, maxMs: 0, steps: 0, periodMs: 1000 });
    expect(bar.text).toBe('$(debug-pause) 2');
  });
});
