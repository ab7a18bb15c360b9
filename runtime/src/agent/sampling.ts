/**
 * Which source stacks the agent takes, and what they may cost. A suspended generator's position
 * cannot be read later, so a task's location must be captured inside its `suspending` hook; that
 * hook runs at every await, so with 'sampled' stacks it is installed only while there is something
 * to take: it opens at each batch and closes (the session removes it) once the CPU budget (a share
 * of the program's time) is spent, or once the suspensions seen are mostly of tasks already sampled
 * in this batch (the tasks that are active have their stacks). Between those times an await costs
 * nothing at all.
 */
import type { Task } from '../task';
import { captureStack, isRuntimeFrame, type CapturedStack } from '../stacks';
import type { Frame } from '../protocol/wire';
import { positionMapper } from './sourceMaps';
import { creationSiteStack, sitesActive } from '../sites/registry';

export type StacksOption = 'always' | 'sampled' | 'off';

/** Share of the program's time that 'sampled' stacks may spend capturing and formatting. */
const SAMPLE_SHARE = 0.025;

/** Most debt the budget carries, in batches' shares. */
const MAX_DEBT_SHARES = 8;

/** Suspensions of already-sampled tasks tolerated per batch beyond the number sampled, before the hook goes. */
const REPEAT_SLACK = 64;

/** What the sampler keeps per task (part of the recorder's TaskMeta). */
export interface SampledMeta {
  /** Batch (epoch) of the last suspension stack taken. */
  capturedEpoch: number;
  /** task._steps when the last suspension stack was taken (-1: none): the location is current while they match. */
  capturedSteps: number;
}

/** Time spent formatting stacks (they format lazily, on first use), charged to the sampling budget. */
let formatMs = 0;
function takeFormatTime(): number {
  const t = formatMs;
  formatMs = 0;
  return t;
}

/** Formatting time not yet charged (what the records made since the last batch spent on stacks). */
export function pendingFormatTime(): number {
  return formatMs;
}

type CallSite = NodeJS.CallSite;

/** A captured stack whose innermost user frame was worked out (null: it has none). */
type WithFirst = CapturedStack & { first?: Frame | null };

/**
 * The innermost user frame of a captured stack, timed and cached on it. Only that frame is
 * formatted (and mapped through source maps): a record's location needs no more, and formatting
 * the whole stack costs several times as much. The call sites stay on the capture, where
 * userFrames() finds them when the whole stack is wanted (task details, breakpoints).
 */
export function firstFrame(captured: CapturedStack | null): Frame | undefined {
  if (captured === null) return undefined;
  const c = captured as WithFirst;
  if (c.first !== undefined) return c.first ?? undefined;
  const t0 = performance.now();
  const f = c.frames !== undefined ? c.frames[0] : firstUserSite(c);
  c.first = f ? { file: f.file, line: f.line, column: f.column, function: f.function } : null;
  formatMs += performance.now() - t0;
  return c.first ?? undefined;
}

/** As stacks.ts's userFrames()[0], formatting only up to that frame. */
function firstUserSite(captured: CapturedStack): Frame | undefined {
  const prev = Error.prepareStackTrace;
  let sites: unknown;
  Error.prepareStackTrace = (_e, cs) => cs;
  try {
    // The first read formats the lazily captured stack with the prepareStackTrace installed now.
    sites = captured.stack;
  } finally {
    Error.prepareStackTrace = prev;
  }
  if (!Array.isArray(sites)) return undefined;
  const mapper = positionMapper();
  for (const cs of sites as CallSite[]) {
    let file = cs.getFileName() ?? cs.getScriptNameOrSourceURL?.() ?? '';
    if (!file || file.startsWith('node:') || isRuntimeFrame(file)) continue;
    let line = cs.getLineNumber() ?? 0;
    let column = cs.getColumnNumber() ?? 0;
    let fn = cs.getFunctionName() ?? cs.getMethodName() ?? '';
    const m = mapper?.(file, line, column);
    if (m) {
      ({ file, line, column } = m);
      if (m.name && !fn) fn = m.name;
    }
    if (file.startsWith('file://')) file = decodeURIComponent(new URL(file).pathname);
    return { file, line, column, function: fn };
  }
  return undefined;
}

export class StackSampler {
  stacks: StacksOption = 'sampled';
  /** Every suspension stack is taken, whatever the option: source breakpoints and a stepping debugger need them. */
  captureAll = false;
  /** Batches so far (a task gets at most one sampled stack per batch). */
  epoch = 0;
  /** 'sampled': whether the suspension hook is wanted now (see the module comment). */
  private windowOpen = true;
  private capturedThisEpoch = 0;
  private repeatsThisEpoch = 0;
  /**
   * A token bucket of CPU milliseconds: refilled at SAMPLE_SHARE of the time that passes, up to one
   * batch's share; capturing and formatting draw from it.
   */
  private capMs = 2.5;
  private tokensMs = 2.5;
  private lastRefill = performance.now();
  /** Told when `wantsSuspensionHook` changes (the session reinstalls hooks). */
  onChange: (() => void) | null = null;

  setFlushInterval(ms: number): void {
    this.capMs = Math.max(0.2, ms * SAMPLE_SHARE);
    this.tokensMs = Math.min(this.tokensMs, this.capMs);
  }

  /**
   * Whether the `suspending` hook must be installed for stacks. Not while the program's coroutines
   * record their await sites (sites/transform.ts): every location is then exact without a capture,
   * and the hook is needed only to check source breakpoints (captureAll).
   */
  get wantsSuspensionHook(): boolean {
    if (sitesActive()) return this.captureAll;
    return this.captureAll || this.stacks === 'always' || (this.stacks === 'sampled' && this.windowOpen);
  }

  /** Whether a suspension stack is due after `task`'s step `steps` (to flag a location as possibly older). */
  isStale(task: Task<unknown>, m: SampledMeta): boolean {
    return task._sites === null && this.stacks !== 'off' && task._steps > 0 && m.capturedSteps !== task._steps;
  }

  /** A new task: where it is created, from the transform's creation mark, or a stack when stacks are on and the budget allows. */
  takeCreation(task: Task<unknown>, parent: Task<unknown> | null): void {
    const marked = creationSiteStack(parent);
    if (marked !== null) {
      task._creationStack = marked;
      return;
    }
    if (this.stacks === 'off' || sitesActive()) return;
    if (this.stacks === 'always' || this.captureAll) {
      task._creationStack = captureStack();
      return;
    }
    if (this.tokensMs <= 0) return;
    const t0 = performance.now();
    task._creationStack = captureStack();
    this.tokensMs -= performance.now() - t0;
  }

  /** Called in `task`'s `suspending` hook: takes its stack if wanted; may close the sampling window. */
  takeSuspension(task: Task<unknown>, m: SampledMeta): void {
    // Recorded by the task's own code as it suspended: nothing to take.
    if (task._sites !== null) return;
    if (this.stacks === 'always' || this.captureAll) {
      task._suspendStack = captureStack();
      m.capturedSteps = task._steps;
      m.capturedEpoch = this.epoch;
      return;
    }
    if (this.stacks !== 'sampled') return;
    if (m.capturedEpoch === this.epoch) {
      // Sampled already in this batch: once such repeats outnumber the tasks sampled, the active ones all have theirs.
      if (++this.repeatsThisEpoch > this.capturedThisEpoch + REPEAT_SLACK) this.setWindow(false);
      return;
    }
    if (this.tokensMs > 0) {
      const t0 = performance.now();
      task._suspendStack = captureStack();
      this.tokensMs -= performance.now() - t0;
      m.capturedSteps = task._steps;
      m.capturedEpoch = this.epoch;
      this.capturedThisEpoch++;
    }
    if (this.tokensMs <= 0) this.setWindow(false);
  }

  /** A batch was taken: a new epoch, the budget refilled for the time that passed, the window open again. */
  nextEpoch(): void {
    this.epoch++;
    this.capturedThisEpoch = 0;
    this.repeatsThisEpoch = 0;
    const t = performance.now();
    // Formatting the stacks sent is part of their cost (often more than capturing them). The debt
    // carried is bounded, so that a slow first use (parsing a source map) cannot starve the batches
    // after it for long.
    this.tokensMs = Math.max(-MAX_DEBT_SHARES * this.capMs, Math.min(this.capMs, this.tokensMs + (t - this.lastRefill) * SAMPLE_SHARE - takeFormatTime()));
    this.lastRefill = t;
    this.setWindow(this.tokensMs > 0);
  }

  private setWindow(open: boolean): void {
    if (open === this.windowOpen) return;
    this.windowOpen = open;
    if (this.stacks === 'sampled' && !this.captureAll) this.onChange?.();
  }
}
