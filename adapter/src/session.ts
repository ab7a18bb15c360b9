/**
 * Loopscope's debug session: a thin layer mapping the runtime's protocol (runtime/src/protocol/peer.ts)
 * to the Debug Adapter Protocol. Tasks are threads, a task's stack is its await chain, breakpoints stop
 * tasks when they suspend or resume, and stepping runs the scheduler. Never imports `vscode`: the
 * extension runs this class inline, and debugAdapter.ts runs it standalone.
 */
import {
  Breakpoint,
  BreakpointEvent,
  ContinuedEvent,
  DebugSession,
  Event,
  ExitedEvent,
  InitializedEvent,
  Logger,
  logger,
  LoggingDebugSession,
  OutputEvent,
  StoppedEvent,
  TerminatedEvent,
  ThreadEvent,
} from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { attachToRuntime, listenForRuntime, ProtocolError, type DebuggerListener, type RuntimeConnection } from '../../runtime/src/protocol/peer';
import type { CommandMap, CommandName, StoppedMessage } from '../../runtime/src/protocol/wire';
import { baseName, describeError, describeTask } from '../../runtime/src/protocol/describe';
import { neverAwaitedText } from '../../runtime/src/protocol/neverAwaitedText';
import {
  BREAKPOINT_MODES,
  DEFAULT_CONNECT_TIMEOUT_SECONDS,
  DEFAULT_SLOW_STEP_MS,
  DEFAULT_MAX_THREADS,
  LIFECYCLE_FILTERS,
  LIFECYCLE_FILTER_INFO,
  TASK_NAME_CONDITION_HINT,
  isCustomRequest,
  type AttachArguments,
  type CustomEventName,
  type CustomEvents,
  type CustomRequestName,
  type CustomRequests,
  type LaunchArguments,
} from './dapCustom';
import { BreakpointBook, type BookEntry } from './breakpoints';
import { TaskStore } from './taskStore';
import { selectThreads } from './threadSelection';
import { ThreadLabelWatch, type ThreadLabel } from './threadLabels';
import { StopInspector } from './stopInspector';
import { planLaunch } from './launcher';
import { ProgramRunner, StartError } from './programRunner';
import { LoopBlocks } from './loopBlocks';
import { SlowSteps } from './slowSteps';

/** The thread shown when no task can be (before the runtime connects, or an empty loop): pause needs a thread. */
export const LOOP_THREAD_ID = 0x7fffffff;

/** How long launch/attach waits for the client's configurationDone before applying breakpoints anyway. */
const CONFIGURATION_WAIT_MS = 5000;

type LaunchRequestArguments = DebugProtocol.LaunchRequestArguments & LaunchArguments;
type AttachRequestArguments = DebugProtocol.AttachRequestArguments & AttachArguments;

/** Error ids of this adapter's error responses (DAP Message.id). */
const ErrorId = {
  launch: 1001,
  attach: 1002,
  notConnected: 1003,
  runtime: 1004,
  badArguments: 1005,
} as const;

class UserError extends Error {
  constructor(
    readonly id: number,
    message: string,
  ) {
    super(message);
  }
}

function deferred<T>(): { promise: Promise<T>; resolve(v: T): void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** DAP's stopped reason for Loopscope's. */
function dapReason(m: StoppedMessage, allFunction: boolean): string {
  switch (m.reason) {
    case 'entry':
    case 'pause':
    case 'step':
      return m.reason;
    case 'breakpoint':
      return allFunction ? 'function breakpoint' : 'breakpoint';
    case 'taskFailed':
    case 'taskCancelled':
    case 'unretrievedException':
      return 'exception';
    default:
      return 'breakpoint';
  }
}

export class LoopscopeSession extends LoggingDebugSession {
  private client: DebugProtocol.InitializeRequestArguments = { adapterID: 'loopscope' };
  private mode: 'launch' | 'attach' | null = null;
  private maxThreads = DEFAULT_MAX_THREADS;
  private userStopOnEntry = false;
  private agentOptions: CommandMap['setOptions']['args'] = {};

  private readonly store = new TaskStore();
  private readonly book = new BreakpointBook();
  private conn: RuntimeConnection | null = null;
  private listener: DebuggerListener | null = null;
  private readonly program = new ProgramRunner({
    stdout: (text) => this.sendEvent(new OutputEvent(text, 'stdout')),
    stderr: (text) => this.sendEvent(new OutputEvent(text, 'stderr')),
    started: (pid) => this.sendEvent(new Event('process', { name: this.programName, systemProcessId: pid, isLocalProcess: true, startMethod: 'launch' })),
    exited: (code, signal) => this.programExited(code, signal),
    ended: (message) => {
      this.say(`${message}\n`, 'important');
      this.endSession();
    },
    reverseRequest: (command, args, timeoutMs, cb) => this.sendRequest(command, args, timeoutMs, cb),
    startJsDebug: (configuration) => this.emitCustom('loopscope/startJsDebug', { configuration }),
  });
  private programName = '';

  private readonly configured = deferred<void>();
  /** Set once the breakpoints and options went to the current connection. */
  private configApplied = false;
  /** The loop is held at an entry stop the user did not ask to see (until the adapter resumes it). */
  private hiddenEntry = false;
  /** The user paused before the configuration was applied (see pauseRequest). */
  private pauseWanted = false;
  /** An entry stop that arrived before the configuration was applied. */
  private heldEntryStop: StoppedMessage | null = null;

  /** The current stop (null while the loop runs). */
  private currentStop: StoppedMessage | null = null;
  /** The stopped event sent for it (sent again when a command changes tasks during the stop). */
  private currentStopEvent: DebugProtocol.StoppedEvent['body'] | null = null;
  private readyOrder: number[] = [];
  private readonly pinned = new Set<number>();
  private readonly inspector = new StopInspector(this.store, (taskId) => this.runtime('inspect a task').request('taskDetails', { taskId }));
  /** Continued messages the runtime will send because of a DAP request (VS Code already knows). */
  private expectedContinues = 0;
  private warnedThreadLimit = false;
  /** While the loop runs, tells VS Code to read the threads again when their names changed. */
  private readonly threadLabels = new ThreadLabelWatch(
    () => (this.currentStop || !this.conn ? null : this.threadList()),
    (threadId) => this.sendEvent(new ThreadEvent('started', threadId)),
  );
  private ended = false;
  /** What the runtime's watchdog says about a blocked loop; answers pauses the runtime cannot. */
  private readonly blocks = new LoopBlocks({ say: (text, category) => this.say(text, category), emit: (event, body) => this.emitCustom(event, body) });
  private readonly slowSteps = new SlowSteps({
    say: (text, at) => {
      if (!at) return this.say(text);
      // Linked to the line (the Debug Console shows the place and opens it on click).
      const e = new OutputEvent(text, 'console') as DebugProtocol.OutputEvent;
      e.body.source = { name: baseName(at.file), path: at.file };
      e.body.line = at.line;
      if (at.column !== undefined) e.body.column = at.column;
      this.sendEvent(e);
    },
    emit: (event, body) => this.emitCustom(event, body),
  });
  /** Runtime messages are handled one at a time, in order (some handlers wait for the runtime). */
  private queue: Promise<void> = Promise.resolve();

  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  // ------------------------------------------------------------------ initialize, launch, attach

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.client = args;
    response.body = {
      supportsConfigurationDoneRequest: true,
      supportsFunctionBreakpoints: true,
      supportsConditionalBreakpoints: true,
      supportsHitConditionalBreakpoints: true,
      supportsExceptionFilterOptions: true,
      supportsExceptionInfoRequest: true,
      supportsTerminateThreadsRequest: true,
      supportsTerminateRequest: true,
      supportTerminateDebuggee: true,
      supportsDelayedStackTraceLoading: true,
      supportsLogPoints: false,
      exceptionBreakpointFilters: LIFECYCLE_FILTERS.map((id) => ({
        filter: id,
        label: LIFECYCLE_FILTER_INFO[id].label,
        description: LIFECYCLE_FILTER_INFO[id].description,
        default: LIFECYCLE_FILTER_INFO[id].default,
        supportsCondition: true,
        conditionDescription: TASK_NAME_CONDITION_HINT,
      })),
      breakpointModes: BREAKPOINT_MODES.map((m) => ({ ...m, appliesTo: [...m.appliesTo] })),
    };
    this.sendResponse(response);
    // Breakpoints may come at once: they are kept until the runtime connects.
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.configured.resolve();
    this.sendResponse(response);
  }

  /** The launch/attach arguments asked for a DAP trace. */
  private tracing = false;

  /**
   * LoggingDebugSession writes every event out as JSON a second time for its log line, logging on or
   * not (a fifth of the adapter's time while it forwards task deltas): only when tracing.
   */
  override sendEvent(event: DebugProtocol.Event): void {
    if (this.tracing) super.sendEvent(event);
    else DebugSession.prototype.sendEvent.call(this, event);
  }

  private readCommonOptions(args: { maxThreads?: number; timeline?: boolean; stacks?: 'always' | 'sampled' | 'off'; slowStepMs?: number; trace?: boolean }): void {
    this.tracing = !!args.trace;
    logger.setup(args.trace ? Logger.LogLevel.Verbose : Logger.LogLevel.Stop, false);
    if (args.maxThreads !== undefined) {
      if (!isPositiveInt(args.maxThreads)) throw new UserError(ErrorId.badArguments, `'maxThreads' must be a positive whole number (got ${JSON.stringify(args.maxThreads)}).`);
      this.maxThreads = args.maxThreads;
    }
    if (args.stacks !== undefined && !['always', 'sampled', 'off'].includes(args.stacks)) {
      throw new UserError(ErrorId.badArguments, `'stacks' must be 'always', 'sampled' or 'off' (got ${JSON.stringify(args.stacks)}).`);
    }
    // The timeline makes every task step run agent code: off unless asked for (launch config, or
    // loopscope/setOptions while a timeline is shown).
    // 'always' by default: a task's location can only be taken as it suspends, and 'sampled' misses
    // the last suspension of tasks that then wait for ever (a deadlock's lines) on a busy machine.
    const slow = args.slowStepMs ?? DEFAULT_SLOW_STEP_MS;
    if (typeof slow !== 'number' || !Number.isFinite(slow) || slow < 0) {
      throw new UserError(ErrorId.badArguments, `'slowStepMs' must be a number of milliseconds, 0 or more (0: never report slow steps) (got ${JSON.stringify(args.slowStepMs)}).`);
    }
    this.agentOptions = { timeline: args.timeline ?? false, stacks: args.stacks ?? 'always', slowStepMs: slow };
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: LaunchRequestArguments): Promise<void> {
    try {
      this.mode = 'launch';
      this.readCommonOptions(args);
      this.userStopOnEntry = !!args.stopOnEntry;
      const timeoutS = args.connectTimeout ?? DEFAULT_CONNECT_TIMEOUT_SECONDS;
      if (typeof timeoutS !== 'number' || !(timeoutS > 0)) throw new UserError(ErrorId.badArguments, `'connectTimeout' must be a positive number of seconds (got ${JSON.stringify(timeoutS)}).`);

      this.listener = await listenForRuntime({ onRejected: (err) => this.onRuntimeRefused(err) });
      // The runtime always stops before its first step, so breakpoints are in place before any task
      // runs; the adapter resumes at once unless the user asked for stopOnEntry.
      const planned = planLaunch(args, this.listener.env({ stopOnEntry: true }));
      if (!planned.ok) throw new UserError(ErrorId.launch, planned.message);
      const plan = planned.value;
      this.programName = plan.program;

      if ((args.jsDebug ?? true) && args.__jsDebugByExtension) {
        // Answer first: the extension starts the child session under this one once it is launched.
        this.sendResponse(response);
        this.program.startWithJsDebug(args, plan);
      } else {
        if (args.jsDebug) this.say("'jsDebug' needs the Loopscope extension in VS Code to start the JavaScript debugger: the program runs without it.\n");
        try {
          if (args.console === 'integratedTerminal' && this.client.supportsRunInTerminalRequest) await this.program.startInTerminal(plan);
          else {
            if (args.console === 'integratedTerminal') this.say('This client has no integrated terminal: the program runs with its output in the Debug Console.\n');
            await this.program.startChild(plan);
          }
        } catch (e) {
          throw e instanceof StartError ? new UserError(ErrorId.launch, e.message) : e;
        }
        this.sendResponse(response);
      }
      this.status('waiting', `Waiting for ${plan.program} to load the Loopscope runtime…`);
      void this.acceptRuntime(timeoutS);
    } catch (e) {
      this.listener?.close();
      this.listener = null;
      this.fail(response, e, ErrorId.launch);
    }
  }

  protected override async attachRequest(response: DebugProtocol.AttachResponse, args: AttachRequestArguments): Promise<void> {
    try {
      this.mode = 'attach';
      this.readCommonOptions(args);
      // A program started with LOOPSCOPE_STOP_ON_ENTRY=1 waits for this debugger: show where it waits.
      this.userStopOnEntry = true;
      const host = args.address ?? '127.0.0.1';
      let conn: RuntimeConnection;
      try {
        conn = await attachToRuntime({ host, port: args.port, secret: args.secret, allowRemote: args.allowRemote === true });
      } catch (e) {
        throw new UserError(ErrorId.attach, `Cannot attach to the program at ${host}:${String(args.port)}: ${(e as Error).message}`);
      }
      this.sendResponse(response);
      await this.useConnection(conn);
    } catch (e) {
      this.fail(response, e, ErrorId.attach);
    }
  }

  // ------------------------------------------------------------------ the runtime's connection

  private async acceptRuntime(timeoutS: number): Promise<void> {
    const listener = this.listener;
    if (!listener) return;
    let conn: RuntimeConnection;
    try {
      conn = await listener.accept(timeoutS * 1000);
    } catch (e) {
      if (this.ended || (e as ProtocolError).code !== 'timeout') return;
      this.say(
        `The program has not loaded the Loopscope runtime after ${timeoutS} s: it must import 'loopscope' and call run(). ` +
          'It keeps running and its output shows here; the debugger connects if it loads the runtime later.\n',
        'important',
      );
      this.status('noRuntime', `The program has not loaded the Loopscope runtime after ${timeoutS} s.`);
      try {
        conn = await listener.accept();
      } catch {
        return;
      }
    }
    if (this.ended) {
      conn.close();
      return;
    }
    await this.useConnection(conn);
  }

  private onRuntimeRefused(err: ProtocolError): void {
    const text = err.code === 'version-mismatch' ? `The program's Loopscope runtime speaks another protocol version: ${err.message}` : `A connection to the debugger was refused: ${err.message}`;
    this.say(`${text}\n`, 'important');
    this.status('error', text);
  }

  private async useConnection(conn: RuntimeConnection): Promise<void> {
    this.conn = conn;
    this.configApplied = false;
    if (conn.peer.pid) this.program.adoptPid(conn.peer.pid);
    conn.on('snapshot', (m) =>
      this.enqueue(async () => {
        const first = !this.store.hasSnapshot;
        this.store.applySnapshot(m);
        this.emitCustom('loopscope/snapshot', m);
        // VS Code reads threads only after a stop or a thread event: tell it tasks exist now.
        if (first) this.sendEvent(new ThreadEvent('started', m.tasks[0]?.id ?? LOOP_THREAD_ID));
      }),
    );
    conn.on('delta', (m) =>
      this.enqueue(async () => {
        if (this.store.applyDelta(m)) this.emitCustom('loopscope/delta', m);
      }),
    );
    conn.on('stopped', (m) => {
      if (m.reason === 'entry' && !this.userStopOnEntry) this.hiddenEntry = true;
      this.enqueue(() => this.onStopped(m));
    });
    conn.on('continued', () => this.enqueue(async () => this.onContinued()));
    // Not queued: these come while the runtime answers nothing, and a queued handler may be waiting for it.
    conn.on('loopBlocked', (m) => {
      if (this.conn === conn) this.blocks.onBlocked(m);
    });
    conn.on('loopUnblocked', (m) => {
      if (this.conn === conn) this.blocks.onUnblocked(m);
    });
    conn.on('loopClosed', (m) =>
      this.enqueue(async () => {
        const outcome = m.outcome === 'failed' && m.error ? `failed: ${describeError(m.error)}` : m.outcome;
        this.say(`The event loop closed (main task ${outcome}).\n`, m.outcome === 'failed' ? 'stderr' : 'console');
      }),
    );
    conn.on('neverAwaited', (m) =>
      this.enqueue(async () => {
        this.emitCustom('loopscope/neverAwaited', m);
        // One line per call site, linked to it (the Debug Console shows the place and opens it on click).
        for (const c of m.coroutines ?? []) {
          const e = new OutputEvent(`${neverAwaitedText(c)}\n`, 'console') as DebugProtocol.OutputEvent;
          e.body.source = { name: baseName(c.location.file), path: c.location.file };
          e.body.line = c.location.line;
          e.body.column = c.location.column;
          this.sendEvent(e);
        }
        if (m.dropped) this.say(`(${m.dropped} more never-awaited coroutines were not reported: the program made them faster than the debugger read)\n`);
      }),
    );
    conn.on('slowStep', (m) => this.enqueue(async () => this.slowSteps.onSlowStep(m)));
    conn.on('loopLag', (m) => this.enqueue(async () => this.slowSteps.onLoopLag(m)));
    conn.on('protocolError', (m) => this.say(`Loopscope runtime: ${m.message} (${m.code})\n`, 'important'));
    conn.on('close', () => this.enqueue(async () => this.onConnectionClosed(conn)));
    this.threadLabels.start();
    const who = conn.peer.pid ? `process ${conn.peer.pid}` : 'the program';
    this.status('connected', `Connected to ${who} (${conn.peer.name} ${conn.peer.version}).`, conn.peer.pid);

    await Promise.race([this.configured.promise, new Promise((r) => setTimeout(r, CONFIGURATION_WAIT_MS))]);
    if (conn.closed || this.conn !== conn) return;
    try {
      await this.applyConfiguration(conn);
    } catch (e) {
      this.say(`Could not set breakpoints in the program: ${(e as Error).message}\n`, 'important');
    }
    this.configApplied = true;
    const held = this.heldEntryStop;
    this.heldEntryStop = null;
    if (held) this.enqueue(() => this.onStopped(held));
  }

  /** Options and every breakpoint to a (new) connection; breakpoint events for what the runtime verified. */
  private async applyConfiguration(conn: RuntimeConnection): Promise<void> {
    await conn.request('setOptions', this.agentOptions);
    await this.pushSourceBreakpoints(conn, true);
    await this.pushTaskBreakpoints(conn, true);
    await conn.request('setLifecycleBreakpoints', { breakpoints: this.book.lifecycleWire() });
  }

  private async pushSourceBreakpoints(conn: RuntimeConnection, announce: boolean): Promise<void> {
    const r = await conn.request('setBreakpoints', { breakpoints: this.book.sourceWire() });
    const changed = this.book.applyVerification('source', r.breakpoints ?? []);
    if (announce) this.announce(changed);
  }

  private async pushTaskBreakpoints(conn: RuntimeConnection, announce: boolean): Promise<void> {
    await conn.request('setTaskBreakpoints', { breakpoints: this.book.taskWire() });
    const changed = this.book.applyVerification('function', []);
    if (announce) this.announce(changed);
  }

  private announce(entries: readonly BookEntry[]): void {
    for (const e of entries) this.sendEvent(new BreakpointEvent('changed', this.dapBreakpoint(e)));
  }

  private dapBreakpoint(e: BookEntry): DebugProtocol.Breakpoint {
    const bp = new Breakpoint(e.verified) as DebugProtocol.Breakpoint;
    bp.id = e.id;
    if (e.line !== undefined) bp.line = e.line;
    if (e.column !== undefined) bp.column = e.column;
    if (e.message) bp.message = e.message;
    return bp;
  }

  private onConnectionClosed(conn: RuntimeConnection): void {
    if (this.conn !== conn) return;
    this.conn = null;
    this.currentStop = null;
    this.blocks.reset();
    this.announce(this.book.markPending());
    if (this.ended) return;
    if (this.mode === 'attach') {
      this.say('The program closed the connection to the debugger.\n');
      this.endSession();
      return;
    }
    // Launch: the process ends the session when it exits (it usually follows at once).
    if (!this.program.active) this.endSession();
  }

  private enqueue(fn: () => Promise<void>): void {
    this.queue = this.queue.then(fn).catch((e) => this.say(`Loopscope adapter: ${(e as Error).stack ?? String(e)}\n`, 'stderr'));
  }

  // ------------------------------------------------------------------ stops

  private async onStopped(stopped: StoppedMessage): Promise<void> {
    let m = stopped;
    const conn = this.conn;
    if (!conn) return;
    if (m.reason === 'entry' && !this.configApplied) {
      this.heldEntryStop = m;
      return;
    }
    const pauseWanted = this.pauseWanted;
    this.pauseWanted = false;
    if (m.reason === 'entry' && !this.userStopOnEntry) {
      if (pauseWanted) {
        // The user paused while the loop waited at its (unshown) entry stop: that stop is their pause.
        m = { ...m, reason: 'pause', description: m.description.replace(/^stopped on entry/, 'paused') };
      } else {
        // Only there so breakpoints were set before the first step: go on.
        this.expectedContinues++;
        const resumed = conn.request('resume', {});
        this.hiddenEntry = false;
        await resumed.catch(() => this.expectedContinues--);
        return;
      }
    }
    this.currentStop = m;
    this.store.setStopped(true);
    this.blocks.settled();
    // Every continued message owed for earlier requests precedes this stop on the wire.
    this.expectedContinues = 0;
    this.inspector.reset();
    // Task breakpoints (function breakpoints, breakOnResume) stop as 'function breakpoint'; a
    // once-breakpoint is gone after its hit (the runtime removed it too).
    const allFunction = !!m.breakpointIds?.length && m.breakpointIds.every((id) => this.book.isFunctionBreakpoint(id));
    if (m.breakpointIds?.length) this.book.dropOnce(m.breakpointIds);
    // A runtime that sends the ready queue and the stopped task with the stop is not asked: it may
    // be held by the JavaScript debugger the agent stops right after (see wire.ts StoppedMessage).
    if (m.task) this.inspector.prime(m.task);
    this.readyOrder = m.readyQueue
      ? m.readyQueue.taskIds
      : await conn
          .request('readyQueue', {})
          .then((r) => r.taskIds)
          .catch(() => []);
    const taskId = m.taskId ?? m.nextTaskId;
    if (taskId !== undefined && !this.store.get(taskId)) await this.inspector.details(taskId).catch(() => undefined);
    const threadId = taskId ?? this.firstThreadId();
    const ev = new StoppedEvent(dapReason(m, allFunction), threadId) as DebugProtocol.StoppedEvent;
    ev.body.description = m.description;
    ev.body.allThreadsStopped = true;
    if (m.breakpointIds?.length) ev.body.hitBreakpointIds = m.breakpointIds;
    const task = taskId !== undefined ? this.store.get(taskId) : undefined;
    if (ev.body.reason === 'exception' && task?.error) ev.body.text = task.error.name;
    this.currentStopEvent = ev.body;
    this.sendEvent(ev);
    this.emitCustom('loopscope/stopped', { reason: m.reason, taskId: m.taskId, nextTaskId: m.nextTaskId, location: m.location, description: m.description });
  }

  /**
   * A command changed a task while the loop is stopped (a cancel: "ready, cancelling"). VS Code
   * shows a stop's threads, stack and variables as it read them at the stopped event, so the same
   * stop is announced again and read again; the task's details are asked for again too. Queued
   * behind the runtime's messages: the changes it sent before its answer are in the store first.
   */
  private restateStop(taskId: number): void {
    this.enqueue(async () => {
      const body = this.currentStopEvent;
      if (!this.currentStop || !body) return;
      this.inspector.forget(taskId);
      const ev = new StoppedEvent(body.reason, body.threadId) as DebugProtocol.StoppedEvent;
      ev.body = { ...body };
      this.sendEvent(ev);
    });
  }

  private onContinued(): void {
    this.currentStop = null;
    this.currentStopEvent = null;
    this.store.setStopped(false);
    this.inspector.reset();
    if (this.expectedContinues > 0) this.expectedContinues--;
    else this.sendEvent(new ContinuedEvent(this.firstThreadId(), true));
    this.emitCustom('loopscope/continued', {});
  }


  private firstThreadId(): number {
    return this.selectedThreads()[0]?.task.id ?? LOOP_THREAD_ID;
  }

  // ------------------------------------------------------------------ threads, stacks, variables

  private selectedThreads() {
    const stoppedTaskId = this.currentStop ? (this.currentStop.taskId ?? this.currentStop.nextTaskId) : undefined;
    // A task that just finished may already be forgotten by the runtime; the stop is still about it.
    const tasks = [...this.store.all()];
    for (const id of [stoppedTaskId, ...this.pinned]) {
      const t = id === undefined ? undefined : this.store.get(id);
      if (t && !tasks.includes(t)) tasks.push(t);
    }
    const { threads, total } = selectThreads({
      tasks,
      maxThreads: this.maxThreads,
      stoppedTaskId,
      pinned: this.pinned,
      readyOrder: this.readyOrder,
      atBreakpoint: (t) => !!t.location && this.book.hasSourceBreakpointAt(t.location.file, t.location.line),
    });
    if (total > threads.length && !this.warnedThreadLimit) {
      this.warnedThreadLimit = true;
      this.say(`The Call Stack lists ${threads.length} of ${total} tasks ('maxThreads'); the Loopscope Tasks view shows every task.\n`);
    }
    return threads;
  }

  private threadList(): ThreadLabel[] {
    const ctx = this.store.describeContext();
    return this.selectedThreads().map(({ task }) => ({ id: task.id, name: describeTask(task, ctx) }));
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const threads = this.threadList();
    this.threadLabels.answered(threads);
    if (threads.length === 0) {
      const name = this.conn ? 'event loop (no tasks)' : 'event loop (waiting for the program to load the Loopscope runtime)';
      threads.push({ id: LOOP_THREAD_ID, name });
    }
    response.body = { threads };
    this.sendResponse(response);
  }

  protected override async stackTraceRequest(response: DebugProtocol.StackTraceResponse, args: DebugProtocol.StackTraceArguments): Promise<void> {
    try {
      response.body =
        args.threadId === LOOP_THREAD_ID || !this.conn
          ? { stackFrames: [], totalFrames: 0 }
          : await this.inspector.stackTrace(args.threadId, this.conventions, args.startFrame, args.levels);
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, e, ErrorId.runtime);
    }
  }

  private readonly conventions = {
    line: (l: number) => this.convertDebuggerLineToClient(l),
    column: (c: number) => this.convertDebuggerColumnToClient(c),
    path: (p: string) => this.convertDebuggerPathToClient(p),
  };

  protected override scopesRequest(response: DebugProtocol.ScopesResponse, args: DebugProtocol.ScopesArguments): void {
    response.body = { scopes: this.inspector.scopes(args.frameId) };
    this.sendResponse(response);
  }

  protected override async variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): Promise<void> {
    try {
      response.body = { variables: await this.inspector.variables(args.variablesReference, args.start, args.count) };
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, e, ErrorId.runtime);
    }
  }

  protected override async exceptionInfoRequest(response: DebugProtocol.ExceptionInfoResponse, args: DebugProtocol.ExceptionInfoArguments): Promise<void> {
    try {
      const body = await this.inspector.exceptionInfo(args.threadId, this.currentStop?.reason === 'unretrievedException');
      if (!body) throw new UserError(ErrorId.runtime, `Task #${args.threadId} has no exception.`);
      response.body = body;
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, e, ErrorId.runtime);
    }
  }

  // ------------------------------------------------------------------ running: pause, continue, steps, cancel

  /** The connection, or a clear error when the program has not loaded the runtime. */
  private runtime(verb: string): RuntimeConnection {
    if (!this.conn) throw new UserError(ErrorId.notConnected, `Cannot ${verb}: the program has not loaded the Loopscope runtime (yet).`);
    return this.conn;
  }

  /** Sends a command that makes the loop run (the runtime then says `continued`, which VS Code needs not hear). */
  private async run<C extends CommandName>(verb: string, command: C, args: CommandMap[C]['args']): Promise<CommandMap[C]['body']> {
    const conn = this.runtime(verb);
    this.expectedContinues++;
    try {
      return await conn.request(command, args);
    } catch (e) {
      this.expectedContinues = Math.max(0, this.expectedContinues - 1);
      // Going on from the program's last stop: it ran to its end and closed the connection before
      // answering. That is the continue (or step) done, not an error to show.
      if (e instanceof ProtocolError && e.code === 'closed') return undefined as unknown as CommandMap[C]['body'];
      throw e;
    }
  }

  private async respond(response: DebugProtocol.Response, fn: () => Promise<unknown>): Promise<void> {
    try {
      await fn();
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, e, ErrorId.runtime);
    }
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): Promise<void> {
    // Until the configuration is applied the loop may be held at its entry stop, where the
    // runtime ignores a pause: remember it, so that stop is shown as the pause.
    if (!this.configApplied || this.hiddenEntry) this.pauseWanted = true;
    // A task blocking the loop keeps the runtime from answering: answered within a second anyway,
    // saying which task holds the loop (the stop follows when it gives the loop back).
    return this.respond(response, () => this.blocks.pause(this.runtime('pause').request('pause', {})));
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): Promise<void> {
    response.body = { allThreadsContinued: true };
    return this.respond(response, () => this.run('continue', 'resume', {}));
  }

  /** A task to step, from a thread id: the loop thread or a finished task steps the scheduler instead. */
  private steppable(threadId: number): number | undefined {
    const t = this.store.get(threadId);
    return t && t.state !== 'done' && t.state !== 'failed' && t.state !== 'cancelled' ? threadId : undefined;
  }

  /** Step Over: run the selected task until its next suspension. */
  protected override nextRequest(response: DebugProtocol.NextResponse, args: DebugProtocol.NextArguments): Promise<void> {
    const taskId = this.steppable(args.threadId);
    return this.respond(response, () => (taskId === undefined ? this.run('step', 'step', {}) : this.run('step', 'stepTask', { taskId })));
  }

  /** Step Into: run exactly one scheduler step, whichever task is next. */
  protected override stepInRequest(response: DebugProtocol.StepInResponse): Promise<void> {
    return this.respond(response, () => this.run('step', 'step', {}));
  }

  /** Step Out: run until the selected task finishes. */
  protected override stepOutRequest(response: DebugProtocol.StepOutResponse, args: DebugProtocol.StepOutArguments): Promise<void> {
    const taskId = this.steppable(args.threadId);
    return this.respond(response, () => (taskId === undefined ? this.run('step', 'step', {}) : this.run('step out', 'stepOut', { taskId })));
  }

  /** Terminate Thread: cancels the task (its coroutine receives CancelledError at its await). */
  protected override terminateThreadsRequest(response: DebugProtocol.TerminateThreadsResponse, args: DebugProtocol.TerminateThreadsArguments): Promise<void> {
    return this.respond(response, async () => {
      const conn = this.runtime('cancel a task');
      for (const taskId of args.threadIds ?? []) {
        if (taskId === LOOP_THREAD_ID) throw new UserError(ErrorId.badArguments, 'The event loop is not a task: stop the session to end the program.');
        const r = await conn.request('cancelTask', { taskId, message: 'cancelled from the debugger' });
        if (!r.cancelled) this.say(`${this.store.get(taskId)?.name ?? `Task #${taskId}`} was not cancelled: it has already finished.\n`);
        else this.restateStop(taskId);
      }
    });
  }

  // ------------------------------------------------------------------ breakpoints

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    try {
      const path = args.source.path;
      if (!path) {
        response.body = { breakpoints: (args.breakpoints ?? []).map(() => ({ verified: false, message: 'Loopscope sets breakpoints in files on disk only.' })) };
        this.sendResponse(response);
        return;
      }
      const requested = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
      const entries = this.book.setSource(this.convertClientPathToDebugger(path), requested, (l) => this.convertClientLineToDebugger(l));
      if (this.conn && this.configApplied) await this.pushSourceBreakpoints(this.conn, false);
      response.body = { breakpoints: entries.map((e) => this.dapBreakpoint(e)) };
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, e, ErrorId.runtime);
    }
  }

  protected override async setFunctionBreakPointsRequest(response: DebugProtocol.SetFunctionBreakpointsResponse, args: DebugProtocol.SetFunctionBreakpointsArguments): Promise<void> {
    try {
      const entries = this.book.setFunctions(args.breakpoints);
      if (this.conn && this.configApplied) await this.pushTaskBreakpoints(this.conn, false);
      response.body = { breakpoints: entries.map((e) => this.dapBreakpoint(e)) };
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, e, ErrorId.runtime);
    }
  }

  protected override async setExceptionBreakPointsRequest(response: DebugProtocol.SetExceptionBreakpointsResponse, args: DebugProtocol.SetExceptionBreakpointsArguments): Promise<void> {
    try {
      const results = this.book.setLifecycle(args);
      if (this.conn && this.configApplied) await this.conn.request('setLifecycleBreakpoints', { breakpoints: this.book.lifecycleWire() });
      response.body = { breakpoints: results };
      this.sendResponse(response);
    } catch (e) {
      this.fail(response, e, ErrorId.runtime);
    }
  }

  // ------------------------------------------------------------------ custom requests

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    if (!isCustomRequest(command)) {
      super.customRequest(command, response, args);
      return;
    }
    void this.respond(response, async () => {
      response.body = await this.custom(command, (args ?? {}) as CustomRequests[typeof command]['args']);
    });
  }

  private taskIdArg(command: string, args: unknown): number {
    const taskId = (args as { taskId?: unknown })?.taskId;
    if (!isPositiveInt(taskId)) throw new UserError(ErrorId.badArguments, `${command} needs { taskId: <a task id> } (got ${JSON.stringify(args)}).`);
    return taskId;
  }

  private async custom<R extends CustomRequestName>(command: R, args: CustomRequests[R]['args']): Promise<CustomRequests[R]['body']> {
    type Body = CustomRequests[R]['body'];
    switch (command) {
      case 'loopscope/cancelTask': {
        const taskId = this.taskIdArg(command, args);
        const message = (args as { message?: unknown }).message;
        if (message !== undefined && typeof message !== 'string') throw new UserError(ErrorId.badArguments, 'loopscope/cancelTask: message must be a string.');
        const r = await this.runtime('cancel a task').request('cancelTask', message === undefined ? { taskId } : { taskId, message });
        if (r.cancelled) this.restateStop(taskId);
        return r as Body;
      }
      case 'loopscope/freezeTask': {
        const taskId = this.taskIdArg(command, args);
        const r = await this.runtime('freeze a task').request('freezeTask', { taskId });
        // Stopped: VS Code reads the threads again after a stopped event, so "frozen" shows at once.
        if (r.frozen) this.restateStop(taskId);
        return r as Body;
      }
      case 'loopscope/thawTask': {
        const taskId = this.taskIdArg(command, args);
        const r = await this.runtime('thaw a task').request('thawTask', { taskId });
        if (r.thawed) this.restateStop(taskId);
        return r as Body;
      }
      case 'loopscope/stepScheduler':
        // Not through run(): VS Code simulates a continued event after its own step requests, not
        // after a custom one, so the runtime's continued is passed on. Without it VS Code took the
        // next stop for more of the same one: the session kept the first stop's description and
        // the other threads their old reason ("paused on breakpoint").
        return (await this.runtime('step').request('step', {})) as Body;
      case 'loopscope/readyQueue':
        return (await this.runtime('read the ready queue').request('readyQueue', {})) as Body;
      case 'loopscope/taskDetails':
        return (await this.inspector.details(this.taskIdArg(command, args))) as Body;
      case 'loopscope/breakOnResume': {
        const taskId = this.taskIdArg(command, args);
        this.book.addOnce(taskId);
        if (this.conn) await this.pushTaskBreakpoints(this.conn, false);
        return {} as Body;
      }
      case 'loopscope/snapshot':
        // The runtime answers with a snapshot message, forwarded as the loopscope/snapshot event.
        await this.runtime('read the tasks').request('snapshot', {});
        return {} as Body;
      case 'loopscope/setOptions': {
        const body = await this.runtime('change options').request('setOptions', args as CommandMap['setOptions']['args']);
        this.agentOptions = { ...this.agentOptions, ...body };
        return body as Body;
      }
      case 'loopscope/focusTask': {
        const taskId = this.taskIdArg(command, args);
        this.pinned.add(taskId);
        const stop = this.currentStop;
        if (!stop) return { focused: false } as Body;
        if (!this.store.get(taskId) && this.conn) await this.inspector.details(taskId);
        // A stopped event naming the task makes VS Code re-read the threads and select it.
        const ev = new StoppedEvent(dapReason(stop, false), taskId) as DebugProtocol.StoppedEvent;
        ev.body.description = stop.description;
        ev.body.allThreadsStopped = true;
        this.sendEvent(ev);
        return { focused: true } as Body;
      }
      case 'loopscope/resources':
        return { resources: this.store.allResources() } as Body;
      case 'loopscope/jsDebugFailed': {
        const message = (args as { message?: unknown }).message;
        this.program.jsDebugFailed(typeof message === 'string' && message ? message : 'the editor refused');
        return {} as Body;
      }
      case 'loopscope/jsDebugPaused':
        this.blocks.setJsPaused((args as { paused?: unknown }).paused === true);
        this.slowSteps.setJsPaused((args as { paused?: unknown }).paused === true);
        return {} as Body;
      default:
        throw new UserError(ErrorId.badArguments, `Unknown request ${command}.`);
    }
  }

  // ------------------------------------------------------------------ ending

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.program.kill('SIGTERM');
    this.sendResponse(response);
    if (!this.program.active) this.endSession();
  }

  protected override async disconnectRequest(response: DebugProtocol.DisconnectResponse, args: DebugProtocol.DisconnectArguments): Promise<void> {
    const terminate = args?.terminateDebuggee ?? this.mode === 'launch';
    const conn = this.conn;
    if (conn && !terminate) {
      // Detach: leave the program running as if no debugger had been there.
      await Promise.allSettled([
        conn.request('setBreakpoints', { breakpoints: [] }),
        conn.request('setTaskBreakpoints', { breakpoints: [] }),
        conn.request('setLifecycleBreakpoints', { breakpoints: [] }),
      ]);
      await conn.request('resume', {}).catch(() => undefined);
    }
    if (terminate) this.program.kill('SIGKILL');
    this.ended = true;
    this.cleanup();
    this.sendResponse(response);
    this.shutdown();
  }

  /** The adapter is going away (client gone, SIGTERM): a program it launched goes with it. */
  override shutdown(): void {
    if (this.mode === 'launch' && !this.ended) this.program.kill('SIGKILL');
    this.ended = true;
    this.cleanup();
    super.shutdown();
  }

  override dispose(): void {
    this.shutdown();
    super.dispose();
  }

  private programExited(code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `was stopped by ${signal}` : `exited with code ${code}`;
    this.say(`\nThe program ${how}.\n`, code === 0 ? 'console' : 'important');
    this.sendEvent(new ExitedEvent(code ?? 1));
    this.endSession();
  }

  /** The program is gone (or cannot start): say so once and end the session. */
  private endSession(): void {
    if (this.ended) return;
    this.ended = true;
    this.status('exited', 'The program has ended.');
    this.cleanup();
    this.sendEvent(new TerminatedEvent());
  }

  private cleanup(): void {
    this.threadLabels.dispose();
    this.program.dispose();
    this.listener?.close();
    this.listener = null;
    this.conn?.close();
  }

  // ------------------------------------------------------------------ small helpers

  private emitCustom<E extends CustomEventName>(event: E, body: CustomEvents[E]): void {
    this.sendEvent(new Event(event, body));
  }

  private status(state: CustomEvents['loopscope/status']['state'], message: string, pid?: number): void {
    this.emitCustom('loopscope/status', pid === undefined ? { state, message } : { state, message, pid });
  }

  private say(text: string, category: 'console' | 'important' | 'stderr' | 'stdout' = 'console'): void {
    this.sendEvent(new OutputEvent(text, category));
  }

  private fail(response: DebugProtocol.Response, e: unknown, fallbackId: number): void {
    const id = e instanceof UserError ? e.id : fallbackId;
    const message = e instanceof Error ? e.message : String(e);
    // The text goes in as a variable: DAP formats `{name}` placeholders, and a message may contain braces.
    this.sendErrorResponse(response, { id, format: '{_message}', variables: { _message: message }, showUser: true });
  }
}
