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
import { ProtocolError as PError } from '../protocol/framing';
import type { AgentOptions, ErrorMessage, LoopClosedMessage, ResponseMessage, StoppedMessage } from '../protocol/wire';
import { Recorder, type TaskMeta } from './recorder';
import { Controller, type ControlHost } from './control';
import { runCommand, CommandError, type CommandTarget } from './commands';
import { errorInfo } from './values';
import { CANCELLED, PENDING } from '../future';

/** Above this many unsent bytes the debugger is behind: batches wait, timeline events are dropped. */
export const HIGH_WATER_BYTES = 4 * 1024 * 1024;
/** Task records per message (keeps every frame far below MAX_FRAME_BYTES). */
const RECORDS_PER_MESSAGE = 2000;
/** A batch is sent when the loop goes idle, but not more often than this. */
const MIN_IDLE_FLUSH_MS = 5;

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
  private readonly installed = new Set<Instrument>();
  private options: Required<AgentOptions> = { timeline: false, stacks: 'sampled', flushIntervalMs: 50 };
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
  }

  // ------------------------------------------------------------ life cycle

  /** Starts serving: the snapshot, the batch timer, the hooks. */
  start(loop: EventLoop | null): void {
    if (this.started || this.closed) return;
    this.started = true;
    this.framed.start({
      message: (msg) => this.onMessage(msg),
      frameError: (err) => this.onFrameError(err),
      close: () => this.end(),
    });
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
    this.recorder.clear();
    if (!closing) this.framed.destroy();
    this.onClose?.();
  }

  // ------------------------------------------------------------ hooks

  /** Loop-level hooks: idle waits (batch now, take a pending stop) and the loop closing. */
  private readonly loopHooks: Instrument = {
    beforeIdle: () => {
      this.idle = true;
      this.controller.onIdle();
      if (this.recorder.hasDirty && performance.now() - this.lastFlush >= MIN_IDLE_FLUSH_MS) this.flush();
    },
    afterIdle: () => {
      this.idle = false;
      this.recorder.refreshClock();
    },
    loopClosed: (loop: EventLoop) => this.onLoopClosed(loop),
  };

  /** Suspension stacks (locations, source breakpoints), inside the task's coroutine. */
  private readonly stackHooks: Instrument = {
    suspending: (task: Task<unknown>) => {
      const m = task._meta as TaskMeta | null;
      if (m === null) return;
      this.recorder.captureSuspension(task, m);
      if (this.controller.breakpoints.hasSuspend) this.controller.checkSuspend(task);
    },
    resuming: (task: Task<unknown>) => {
      if (this.controller.jsBreakOnResume !== null) this.controller.checkResume(task);
    },
  };

  /** Installs exactly the hooks the current options and breakpoints need. */
  reconfigure(): void {
    if (this.closed) return;
    const want = new Set<Instrument>([this.recorder, this.loopHooks]);
    const bps = this.controller.breakpoints;
    this.recorder.captureAll = bps.hasSource || this.controller.needsControl;
    if (this.options.stacks !== 'off' || this.recorder.captureAll || this.controller.jsBreakOnResume !== null) want.add(this.stackHooks);
    if (this.controller.needsHooks) want.add(this.controller.hooks);
    if (this.options.timeline) want.add(this.recorder.timelineHooks);
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
    this.flush();
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
    this.framed.socket.unref();
  }

  // ------------------------------------------------------------ ControlHost

  sendStopped(msg: StoppedMessage): void {
    // Hold the process while the debugger holds the loop (nothing else may be keeping it alive).
    this.framed.socket.ref();
    this.flush();
    this.send(msg);
  }

  sendContinued(): void {
    this.framed.socket.unref();
    this.send({ type: 'continued' });
  }

  loopIdle(): boolean {
    return this.idle;
  }

  // ------------------------------------------------------------ CommandTarget

  currentLoop(): EventLoop | null {
    return this.loop !== null && !this.loop.isClosed() ? this.loop : null;
  }

  resendSnapshot(): void {
    this.flush();
    this.send(this.recorder.snapshot(++this.seq, this.now(), this.loop, RECORDS_PER_MESSAGE));
    this.flush();
  }

  setOptions(o: AgentOptions): Required<AgentOptions> {
    if (o.timeline !== undefined) this.options.timeline = o.timeline;
    if (o.stacks !== undefined) this.options.stacks = o.stacks;
    if (o.flushIntervalMs !== undefined) this.options.flushIntervalMs = o.flushIntervalMs;
    this.recorder.timeline = this.options.timeline;
    this.recorder.stacks = this.options.stacks;
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
    this.timer = setInterval(() => this.flush(), this.options.flushIntervalMs);
    this.timer.unref();
  }

  /** Sends what changed, in as many messages as needed, unless the debugger is behind. */
  flush(): void {
    if (this.closed) return;
    this.lastFlush = performance.now();
    const rec = this.recorder;
    rec.nextEpoch();
    const framed = this.framed;
    if (framed.writableLength > HIGH_WATER_BYTES) {
      rec.backedUp = true;
      rec.shed();
      return;
    }
    rec.backedUp = false;
    const time = this.now();
    for (;;) {
      const d = rec.takeDelta(RECORDS_PER_MESSAGE, this.seq + 1, time);
      if (d === null) break;
      this.seq++;
      if (!this.closed) framed.sendText(d);
      if (framed.writableLength > HIGH_WATER_BYTES) {
        rec.backedUp = true;
        break;
      }
    }
  }

  private send(msg: object): void {
    if (!this.closed) this.framed.send(msg);
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
        response = { type: 'response', id: id as number, ok: true, body };
      } catch (err) {
        const code = err instanceof CommandError ? err.code : 'internal';
        const message = err instanceof Error ? err.message : String(err);
        response = { type: 'response', id: id as number, ok: false, error: { code, message } };
      }
      this.send(response);
      return;
    }
    if (msg.type === 'error') {
      // The debugger found something wrong in what we sent; nothing to undo here.
      return;
    }
    const what = msg.type === 'hello' ? 'a second hello (the handshake is over)' : `an unknown message type ${JSON.stringify(msg.type ?? null)}`;
    this.send(new PError('malformed', `the runtime got ${what}; the debugger sends only requests`).toMessage());
  }

  private onFrameError(err: ProtocolError): void {
    // A too-large frame closes the connection (framing does it); a malformed line is answered and skipped.
    if (err.code === 'malformed') this.send(err.toMessage());
    // Too large: the framing sends the error and closes; the debugger is gone for this session.
    else this.end(true);
  }
}
