/**
 * One debugger connected to this runtime, after the handshake: the instruments installed for it,
 * the batches streamed to it, and its commands served. Ends when the connection closes; then every
 * hook is removed and the loop, if held, runs on, as if no debugger had ever come.
 *
 * Never blocks or keeps the program alive on the debugger's account: writes are asynchronous, a
 * batch is skipped (changes keep coalescing) while the socket's buffer is over HIGH_WATER_BYTES, and
 * the socket and timers are unref'd except while the debugger holds the loop stopped.
 */
import type { EventLoop } from '../loop';
import type { Task } from '../task';
import { addInstrument, removeInstrument, type Instrument } from '../hooks';
import type { FramedSocket, ProtocolError } from '../protocol/framing';
import { ProtocolError as PError, fitsFrame } from '../protocol/framing';
import { MAX_FRAME_BYTES } from '../protocol/wire';
import type { AgentOptions, ErrorMessage, LoopClosedMessage, ResponseMessage, StoppedMessage } from '../protocol/wire';
import { Recorder, type TaskMeta } from './recorder';
import { pendingFormatTime } from './sampling';
import { Controller, type ControlHost } from './control';
import { runCommand, CommandError, type CommandTarget } from './commands';
import { errorInfo } from './values';
import { NeverAwaitedReader } from './neverAwaited';
import { TaskTimes, slowStepThreshold, DEFAULT_SLOW_STEP_MS } from './taskTimes';
import { quote } from '../protocol/quote';
import { onlyWritesPending } from './onlyWritesPending';
import { CANCELLED, PENDING } from '../future';

/** The slow-step threshold the environment asks for (a bad value is said on stderr, and the default used). */
function envSlowStepMs(): number {
  try {
    return slowStepThreshold(process.env);
  } catch (err) {
    process.stderr.write(`loopscope: ${(err as Error).message}; using ${DEFAULT_SLOW_STEP_MS} ms\n`);
    return DEFAULT_SLOW_STEP_MS;
  }
}

/** Above this many unsent bytes the debugger is behind: batches wait, timeline events are dropped, its requests wait unread. */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/**
 * Above this many unsent bytes the debugger is gone (it stopped reading): the session ends. Only the
 * messages a batch cannot hold back (answers already asked for, a stop's changes) pass HIGH_WATER_BYTES.
 */
export const MAX_UNREAD_BYTES = 64 * 1024 * 1024;
/** How long writes to the debugger must be stuck before a finished program is let go (see letFinishedProgramEnd). */
const ABANDON_AFTER_MS = 500;
/** Task records per message (keeps every frame far below MAX_FRAME_BYTES). */
const RECORDS_PER_MESSAGE = 2000;
/** A batch is sent when the loop goes idle, but not more often than this. */
const MIN_IDLE_FLUSH_MS = 5;
/**
 * Share of the program's time the batches may take: with many tasks changing, a batch costs
 * milliseconds, and the periodic ones are spaced out to stay within it (stops are always exact).
 */
const FLUSH_SHARE = 0.025;
/** ...but the debugger hears at least this often (ms), whatever a batch costs. */
const MAX_FLUSH_GAP_MS = 2000;
/**
 * A periodic batch works at most this long (ms) at once, then leaves the rest of the changed tasks
 * for the next (a stop's batch is whole: the loop is held anyway). 100,000 tasks changing at once
 * made one batch block the program for seconds.
 */
const FLUSH_SLICE_MS = 8;
/** Records per message in a sliced batch (the slice's time is checked after each message). */
const SLICE_RECORDS = 250;
/** While changed tasks are left over from a slice, batches may take this share of the time, so that the debugger catches up in seconds. */
const BACKLOG_SHARE = 0.15;

export class Session implements ControlHost, CommandTarget {
  readonly recorder = new Recorder();
  readonly controller = new Controller(this);
  private loop: EventLoop | null = null;
  private seq = 0;
  private idle = false;
  private closed = false;
  private started = false;
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastFlush = 0;
  /** How long the last batch took to make and send (ms). */
  private lastFlushCost = 0;
  /** Counts stops, so that a pause's stop sent in slices knows when it was overtaken (resumed, stopped again). */
  private stopToken = 0;
  /** A pause's changes are going out in slices: a command meanwhile does not send them all at once. */
  private stopInPreparation = false;
  /** The debugger holds the loop stopped: the socket keeps the process alive on purpose. */
  private holding = false;
  /** Unsent bytes at the last look, and since when they have not gone down (performance.now() ms). */
  private lastUnsent = 0;
  private stalledSince = 0;
  /** A slice of the backlog is due in the next turn (see drainSoon). */
  private drainScheduled = false;
  /** The last batch left changed tasks unsent (its slice of time ran out). */
  private backlog = false;
  private readonly installed = new Set<Instrument>();
  private readonly neverAwaited = new NeverAwaitedReader();
  /** Time per task, the loop's lag and slow steps: per-step hooks, always on while connected. */
  readonly times = new TaskTimes(envSlowStepMs());
  private options: Required<AgentOptions> = { timeline: false, stacks: 'sampled', flushIntervalMs: 50, freeze: [], thawWhenIdle: false, slowStepMs: this.times.thresholdMs };
  /** The main task of the current loop (the first task created outside any task). */
  private mainTask: Task<unknown> | null = null;
  /** Told when the session ends. */
  onClose: (() => void) | null = null;

  constructor(private readonly framed: FramedSocket) {
    // The socket must not keep the program alive, except while the debugger holds the loop.
    framed.socket.unref();
    this.recorder.onRootTask = (task) => {
      if (this.mainTask === null || this.mainTask._loop !== task._loop) this.mainTask = task;
    };
    // Stack sampling opens and closes its window on the suspension hook (see sampling.ts).
    this.recorder.sampler.onChange = () => this.reconfigure();
    // Frozen tasks say so in their records; freezing or thawing one sends its record again.
    this.recorder.frozen = this.controller.freezer;
    this.controller.freezer.onChange = (task) => {
      if (!this.closed) this.recorder.touch(task);
    };
  }

  // ------------------------------------------------------------ life cycle

  /** Starts serving: the snapshot, the batch timer, the hooks. */
  start(loop: EventLoop | null): void {
    if (this.started || this.closed) return;
    this.started = true;
    // A debugger that asks but does not read the answers is not read either, until it catches up.
    this.framed.readWhileUnsentBelow = HIGH_WATER_BYTES;
    this.framed.start({
      message: (msg) => this.onMessage(msg),
      frameError: (err) => this.onFrameError(err),
      close: () => this.end(),
    });
    this.times.start();
    this.attachLoop(loop);
    this.send(this.recorder.snapshot(++this.seq, this.now(), this.loop, RECORDS_PER_MESSAGE));
    this.flush();
    this.restartTimer();
  }

  /** A loop is starting (run()), or the debugger attached while one runs. */
  attachLoop(loop: EventLoop | null): void {
    if (this.closed) return;
    const fresh = loop !== this.loop;
    this.loop = loop;
    this.controller.loop = loop;
    this.idle = false;
    if (loop !== null && fresh) {
      this.recorder.adoptAll(loop);
      if (this.mainTask !== null && this.mainTask._loop !== loop) this.mainTask = null;
      if (this.mainTask === null) {
        // Attached late: the main task is the oldest task created outside any task.
        for (const t of loop._tasks) if (t.parentId === 0 && (this.mainTask === null || t.id < this.mainTask.id)) this.mainTask = t;
      }
    }
    this.reconfigure();
    this.controller.applyControl();
  }

  /** Announces a loop started after the first (a program calling run() again): the debugger gets a fresh snapshot. */
  loopStarted(loop: EventLoop): void {
    if (this.closed) return;
    this.attachLoop(loop);
    this.flush();
    this.send(this.recorder.snapshot(++this.seq, this.now(), this.loop, RECORDS_PER_MESSAGE));
  }

  /** Stop before the first task step (LOOPSCOPE_STOP_ON_ENTRY). */
  stopOnEntry(): void {
    this.controller.requestStop({ reason: 'entry' });
  }

  get isStarted(): boolean {
    return this.started;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Ends the session (the connection closed, or is closing): hooks removed, the loop let go.
   * `closing`: the framing is already ending the connection after a last message; let it.
   */
  end(closing = false): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const i of this.installed) removeInstrument(i);
    this.installed.clear();
    this.controller.release();
    this.times.stop();
    this.recorder.clear();
    if (!closing) this.framed.destroy();
    this.onClose?.();
  }

  // ------------------------------------------------------------ hooks

  /** Loop-level hooks: idle waits (batch now, take a pending stop) and the loop closing. */
  private readonly loopHooks: Instrument = {
    beforeIdle: (delayMs: number) => {
      this.idle = true;
      this.controller.onIdle(delayMs);
      // (Whether tasks stepped is found by the batch itself: no per-step hook says so.)
      if (this.batchDue(MIN_IDLE_FLUSH_MS)) this.flush();
    },
    afterIdle: () => {
      this.idle = false;
      this.recorder.refreshClock();
    },
    loopClosed: (loop: EventLoop) => this.onLoopClosed(loop),
  };

  /** Suspension stacks (locations, source breakpoints), inside the task's coroutine: installed only while wanted. */
  private readonly stackHooks: Instrument = {
    suspending: (task: Task<unknown>) => {
      const m = task._meta as TaskMeta | null;
      if (m === null) return;
      this.recorder.captureSuspension(task, m);
      if (this.controller.breakpoints.hasSuspend) this.controller.checkSuspend(task);
    },
  };

  /** A resume breakpoint stopped a task with a JavaScript debugger attached: break into it where the task resumes. */
  private readonly resumeHooks: Instrument = {
    resuming: (task: Task<unknown>) => {
      if (this.controller.jsBreakOnResume !== null) this.controller.checkResume(task);
    },
  };

  /** Installs exactly the hooks the current options and breakpoints need. */
  reconfigure(): void {
    if (this.closed) return;
    const rec = this.recorder;
    const c = this.controller;
    const want = new Set<Instrument>([rec.taskHooks, this.loopHooks]);
    // Time per task and slow steps time every step: only when asked for (slowStepMs > 0).
    if (this.options.slowStepMs > 0) want.add(this.times);
    // A stop must say where, and a source breakpoint must see every suspension: then every stack is taken.
    rec.sampler.captureAll = c.breakpoints.hasSource || c.needsControl;
    if (rec.sampler.wantsSuspensionHook) want.add(this.stackHooks);
    if (c.jsBreakOnResume !== null) want.add(this.resumeHooks);
    if (c.needsHooks) want.add(c.hooks);
    if (c.needsStepHooks) want.add(c.stepHooks);
    if (this.options.timeline) want.add(rec.timelineHooks);
    for (const i of [...this.installed]) {
      if (!want.has(i)) {
        removeInstrument(i);
        this.installed.delete(i);
      }
    }
    for (const i of want) {
      if (!this.installed.has(i)) {
        addInstrument(i);
        this.installed.add(i);
      }
    }
  }

  private onLoopClosed(loop: EventLoop): void {
    if (loop !== this.loop) return;
    this.flush(true);
    const main = this.mainTask;
    const msg: LoopClosedMessage = { type: 'loopClosed', loopId: loop.id, outcome: 'done' };
    if (main !== null && main._loop === loop) {
      if (main._state === CANCELLED) msg.outcome = 'cancelled';
      else if (main._state !== PENDING && main._hasException) {
        msg.outcome = 'failed';
        msg.error = errorInfo(main._exception);
      }
    }
    this.send(msg);
    this.controller.loopClosed();
    this.loop = null;
    this.mainTask = null;
    this.idle = false;
    this.holding = false;
    this.framed.socket.unref();
  }

  // ------------------------------------------------------------ ControlHost

  sendStopped(msg: StoppedMessage): void {
    // Hold the process while the debugger holds the loop (nothing else may be keeping it alive).
    this.holding = true;
    this.framed.socket.ref();
    const token = ++this.stopToken;
    if (msg.reason === 'pause') {
      // Asked for, with nothing else to do meanwhile: the changes go out in slices, with Node's event
      // loop free between them (100,000 changed tasks took a second in one go), then the stop.
      this.stopInPreparation = true;
      this.nextStopStep(msg, token, 'scan', 0);
      return;
    }
    // Other stops are whole at once: a JavaScript debugger the controller stops right after holds the
    // process, so nothing may be left for later.
    this.flush(true);
    this.completeStop(msg);
  }

  /** The next step of a pause's stop, in the next turn of Node's event loop. */
  private nextStopStep(msg: StoppedMessage, token: number, step: 'scan' | 'send' | 'finish', looks: number): void {
    setImmediate(() => this.stopStep(msg, token, step, looks));
  }

  /**
   * A pause's stop, one step per turn (each one linear in the tasks at most): `scan` finds every
   * change, `send` sends a slice of them (the resources read at the scan serve every slice: no task
   * runs while the loop is held; reading every waiter list again per slice made 100,000 waiters'
   * records take half a minute), `finish` compares the resources afresh and sends the stop. A scan
   * follows the last slice: program code outside the loop (a timer's callback) may change things
   * meanwhile; at most three, as such code could go on for ever.
   */
  private stopStep(msg: StoppedMessage, token: number, step: 'scan' | 'send' | 'finish', looks: number): void {
    // Resumed (or the session ended) before the stop went out: the stop is moot.
    if (this.closed || token !== this.stopToken || !this.controller.stopped) {
      if (token === this.stopToken) this.stopInPreparation = false;
      return;
    }
    const rec = this.recorder;
    if (step === 'scan') {
      rec.nextEpoch(true);
      rec.findChanges(this.now(), true);
      if (rec.hasDirty && looks < 3) this.nextStopStep(msg, token, 'send', looks + 1);
      else this.nextStopStep(msg, token, 'finish', looks);
    } else if (step === 'send') {
      this.sendDeltas(true, performance.now() + FLUSH_SLICE_MS);
      this.nextStopStep(msg, token, rec.hasDirty ? 'send' : 'scan', looks);
    } else {
      this.sendDeltas(true, Infinity); // (what a last scan found, and the watched resources compared once more)
      this.completeStop(msg);
    }
  }

  private completeStop(msg: StoppedMessage): void {
    this.stopInPreparation = false;
    // The ready queue and the stopped task's details go with the stop (see StoppedMessage): a
    // JavaScript debugger the agent stops right after would hold any later question.
    msg.readyQueue = runCommand(this, 'readyQueue', {}) as StoppedMessage['readyQueue'];
    if (msg.taskId !== undefined && msg.task === undefined) {
      try {
        msg.task = runCommand(this, 'taskDetails', { taskId: msg.taskId }) as StoppedMessage['task'];
      } catch {
        // A task the recorder does not know (created while no debugger watched): asked for later.
      }
    }
    this.send(msg);
  }

  sendContinued(): void {
    this.holding = false;
    this.framed.socket.unref();
    this.send({ type: 'continued' });
  }

  loopIdle(): boolean {
    return this.idle;
  }

  taskName(id: number): string | undefined {
    return this.recorder.tasks.get(id)?.getName();
  }

  // ------------------------------------------------------------ CommandTarget

  currentLoop(): EventLoop | null {
    return this.loop !== null && !this.loop.isClosed() ? this.loop : null;
  }

  resendSnapshot(): void {
    // (Not a whole flush first: the snapshot replaces what the debugger knows anyway, and with 100,000
    // changed tasks a whole flush blocks the program; the tasks past the snapshot's first follow in slices.)
    this.flush();
    this.send(this.recorder.snapshot(++this.seq, this.now(), this.loop, RECORDS_PER_MESSAGE));
    this.flush();
  }

  setOptions(o: AgentOptions): Required<AgentOptions> {
    if (o.timeline !== undefined) this.options.timeline = o.timeline;
    if (o.stacks !== undefined) this.options.stacks = o.stacks;
    if (o.flushIntervalMs !== undefined) this.options.flushIntervalMs = o.flushIntervalMs;
    if (o.freeze !== undefined) this.options.freeze = this.controller.freezer.names = [...o.freeze];
    if (o.thawWhenIdle !== undefined) this.options.thawWhenIdle = this.controller.freezer.thawWhenIdle = o.thawWhenIdle;
    if (o.slowStepMs !== undefined) this.options.slowStepMs = this.times.thresholdMs = o.slowStepMs;
    this.controller.applyControl();
    this.recorder.timeline = this.options.timeline;
    this.recorder.sampler.stacks = this.options.stacks;
    this.restartTimer();
    this.reconfigure();
    return { ...this.options };
  }

  // ------------------------------------------------------------ batches

  private now(): number {
    const loop = this.loop;
    return loop !== null ? loop.time() : 0;
  }

  private restartTimer(): void {
    if (this.closed) return;
    if (this.timer !== null) clearInterval(this.timer);
    this.recorder.setFlushInterval(this.options.flushIntervalMs);
    this.timer = setInterval(() => {
      // Too soon after a costly batch: let the changes coalesce a little longer.
      if (this.batchDue(0)) this.flush();
      this.letFinishedProgramEnd();
    }, this.options.flushIntervalMs);
    this.timer.unref();
  }

  /**
   * Sends what changed, in as many messages as needed, unless the debugger is behind. `exact`: every
   * task that changed is found, however many tasks there are (before a stop, so that the debugger's
   * model equals the program's).
   */
  flush(exact = false): void {
    if (this.closed) return;
    const t0 = performance.now();
    try {
      this.sendChanges(exact);
      this.sendNeverAwaited();
      this.sendTimes();
    } finally {
      this.lastFlush = performance.now();
      // Formatting stacks (parsing a source map the first time) is the sampler's budget, not the batches'.
      this.lastFlushCost = Math.max(0, this.lastFlush - t0 - pendingFormatTime());
    }
    if (this.backlog && this.idle) this.drainSoon();
  }

  /**
   * While the loop waits with nothing ready, a backlog left by a slice goes on in the next turn of
   * Node's event loop rather than at the next spaced-out batch: the program loses nothing (each slice
   * is short, and its timers and I/O come between), and the debugger's tree is right sooner (100,000
   * records took 8 s to arrive at the busy loop's share).
   */
  private drainSoon(): void {
    if (this.drainScheduled) return;
    this.drainScheduled = true;
    setImmediate(() => {
      this.drainScheduled = false;
      if (!this.closed && this.idle && this.backlog) this.flush();
    });
  }

  /** Never-awaited coroutines not yet reported, each call site once (with the batches: they are findings, not stops). */
  private sendNeverAwaited(): void {
    if (this.framed.writableLength > HIGH_WATER_BYTES) return;
    for (let m = this.neverAwaited.take(); m !== null; m = this.neverAwaited.take()) this.send(m);
  }

  /** Slow steps since the last batch (after the records: the debugger knows the task), and the loop's lag once a second. */
  private sendTimes(): void {
    if (this.framed.writableLength > HIGH_WATER_BYTES) return;
    for (const m of this.times.takeSlowSteps()) this.send(m);
    const lag = this.times.takeLag();
    if (lag !== null) this.send(lag);
  }

  /** Whether a batch may be taken now: `minGap` ms since the last, and long enough after a costly one (FLUSH_SHARE). */
  private batchDue(minGap: number): boolean {
    const since = performance.now() - this.lastFlush;
    const share = this.backlog ? BACKLOG_SHARE : FLUSH_SHARE;
    return since >= minGap && (since * share >= this.lastFlushCost || since >= MAX_FLUSH_GAP_MS);
  }

  private sendChanges(exact: boolean): void {
    const rec = this.recorder;
    rec.nextEpoch(exact);
    const framed = this.framed;
    // Behind: a periodic batch waits. A stop's batch goes anyway (the debugger's model must equal the
    // program's at a stop); the hard limit in send() bounds what a reader that never reads can cost.
    if (!exact && framed.writableLength > HIGH_WATER_BYTES) {
      rec.backedUp = true;
      rec.shed();
      return;
    }
    rec.backedUp = false;
    rec.findChanges(this.now(), exact);
    this.backlog = false;
    this.sendDeltas(exact, exact ? Infinity : performance.now() + FLUSH_SLICE_MS);
  }

  /** Sends the changed tasks' records until none is left, or (unless `whole`) the debugger is behind, or `sliceEnd` passed. */
  private sendDeltas(whole: boolean, sliceEnd: number): void {
    const rec = this.recorder;
    const framed = this.framed;
    const time = this.now();
    const sliced = sliceEnd !== Infinity;
    for (;;) {
      const d = rec.takeDelta(sliced ? SLICE_RECORDS : RECORDS_PER_MESSAGE, this.seq + 1, time);
      if (d === null) break;
      this.seq++;
      if (!this.sendText(d)) break;
      if (!whole && framed.writableLength > HIGH_WATER_BYTES) {
        rec.backedUp = true;
        break;
      }
      if (sliced && performance.now() >= sliceEnd) {
        this.backlog = rec.hasDirty;
        break;
      }
    }
  }

  /**
   * A socket's pending write keeps a Node process alive, unref'd or not: a debugger that stopped
   * reading would keep a finished program running for ever. When our writes have been stuck for
   * ABANDON_AFTER_MS and nothing but pending writes keeps the process alive (the program is done),
   * the connection is dropped and the program ends as it would alone. Not while the debugger holds
   * the loop: being paused is the debugger's right.
   */
  private letFinishedProgramEnd(): void {
    const unsent = this.framed.writableLength;
    const now = performance.now();
    if (unsent === 0 || this.holding || unsent < this.lastUnsent) {
      this.lastUnsent = unsent;
      this.stalledSince = now;
      return;
    }
    this.lastUnsent = unsent;
    if (now - this.stalledSince < ABANDON_AFTER_MS) return;
    if (onlyWritesPending()) this.end();
  }

  private send(msg: object): void {
    if (!this.closed) this.sendText(JSON.stringify(msg));
  }

  /**
   * Every message goes through here. A debugger whose unread backlog passed MAX_UNREAD_BYTES has
   * stopped reading for good (batches already wait at HIGH_WATER_BYTES and its requests are not
   * read meanwhile): the session ends, and the program runs on as if no debugger had come.
   */
  private sendText(json: string): boolean {
    if (this.closed) return false;
    if (this.framed.writableLength > MAX_UNREAD_BYTES) {
      this.end();
      return false;
    }
    return this.framed.sendText(json);
  }

  /** An answer always reaches the debugger: one too long for a frame becomes an error saying so. */
  private sendResponse(response: ResponseMessage): void {
    if (this.closed) return;
    const text = JSON.stringify(response);
    if (fitsFrame(text, MAX_FRAME_BYTES)) this.sendText(text);
    else {
      const message = `the answer would be ${text.length} characters, above the protocol's ${MAX_FRAME_BYTES}-byte frame limit`;
      this.send({ type: 'response', id: response.id, ok: false, error: { code: 'internal', message } } satisfies ResponseMessage);
    }
  }

  // ------------------------------------------------------------ incoming

  private onMessage(msg: Record<string, unknown>): void {
    if (msg.type === 'request') {
      const id = msg.id;
      if (!Number.isInteger(id)) {
        this.send({ type: 'error', code: 'malformed', message: 'a request needs an integer "id"' } satisfies ErrorMessage);
        return;
      }
      let response: ResponseMessage;
      try {
        const body = runCommand(this, msg.command, msg.args);
        // While the debugger holds the loop stopped only its commands change tasks (a cancel): what
        // it changed goes out before the answer, as at a stop, not at a batch that may be spaced out.
        // (Only then: a whole flush walks every task, and a stop brings many questions.)
        if ((msg.command === 'cancelTask' || msg.command === 'freezeTask' || msg.command === 'thawTask') && this.controller.stopped && !this.stopInPreparation) this.flush(true);
        response = { type: 'response', id: id as number, ok: true, body };
      } catch (err) {
        const code = err instanceof CommandError ? err.code : 'internal';
        const message = err instanceof Error ? err.message : String(err);
        response = { type: 'response', id: id as number, ok: false, error: { code, message } };
      }
      this.sendResponse(response);
      return;
    }
    if (msg.type === 'error') {
      // The debugger found something wrong in what we sent; nothing to undo here.
      return;
    }
    const what = msg.type === 'hello' ? 'a second hello (the handshake is over)' : `an unknown message type ${quote(msg.type)}`;
    this.send(new PError('malformed', `the runtime got ${what}; the debugger sends only requests`).toMessage());
  }

  private onFrameError(err: ProtocolError): void {
    // A too-large frame closes the connection (framing does it); a malformed line is answered and skipped.
    if (err.code === 'malformed') this.send(err.toMessage());
    // Too large: the framing sends the error and closes; the debugger is gone for this session.
    else this.end(true);
  }
}
