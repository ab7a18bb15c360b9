/**
 * The Loopscope debug wire protocol: what a runtime's agent and a debugger say to each other.
 * Plain, language-neutral JSON, one message per line (NDJSON) over a loopback TCP connection.
 * docs/protocol.md is the prose definition; this module is its TypeScript form, shared by the
 * runtime's agent, the debug adapter, the extension and the webview. It imports nothing.
 */

/** The protocol version this build speaks. A peer speaking another version is refused with `version-mismatch`. */
import type { PackedSteps } from './packedSteps';

export const PROTOCOL_VERSION = 1;

/** Largest accepted frame (one line), in bytes. A longer line is refused with `too-large` and the connection closed. */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Environment variables a debugger sets for the program it launches. */
export const ENV = {
  /** `host:port` of the debugger's listener; the runtime connects out to it at start-up (launch). */
  connect: 'LOOPSCOPE_CONNECT',
  /** `host:port` (loopback only) the runtime listens on for a debugger to attach. */
  listen: 'LOOPSCOPE_LISTEN',
  /** The per-session secret the connecting side presents in its hello. */
  secret: 'LOOPSCOPE_SECRET',
  /** `1`: stop before the first task step (stopOnEntry). */
  stopOnEntry: 'LOOPSCOPE_STOP_ON_ENTRY',
} as const;

// ---------------------------------------------------------------- shared shapes

/** A position in the user's source (mapped through source maps to the original TypeScript where available). */
export interface Frame {
  /** Absolute path of the source file. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Function name ('' if anonymous). */
  function: string;
}

/**
 * A task's state. `ready`: its next step is queued; `running`: its step is executing now;
 * `suspended`: waiting on something (see `awaiting`); `done` / `failed` / `cancelled`: finished.
 */
export type TaskState = 'ready' | 'running' | 'suspended' | 'done' | 'failed' | 'cancelled';

export const FINISHED_STATES: readonly TaskState[] = ['done', 'failed', 'cancelled'];

/** An error as the debugger shows it. */
export interface ErrorInfo {
  name: string;
  message: string;
  /** The error's stack as text (may be absent). */
  stack?: string;
}

/** What a suspended task awaits, by the runtime operation that suspended it. */
export type Await =
  | { kind: 'sleep'; /** loop time (ms) the timer fires */ deadline: number; /** the sleep's length (ms) */ delay?: number }
  | { kind: 'task'; taskId: number }
  | { kind: 'future'; futureId: number; label?: string }
  | {
      kind: 'gather' | 'wait' | 'taskGroup' | 'asCompleted' | 'shield';
      /** The tasks among the awaited ones that are still pending. */
      taskIds: number[];
      /** Pending awaited futures that are not tasks. */
      futureIds?: number[];
      /** How many tasks and futures are awaited in all, finished or not (absent from older runtimes): "3 of 5 pending". */
      total?: number;
      /** Loop time of a timeout, if any. */
      deadline?: number;
    }
  | { kind: 'lock'; resourceId: number; /** the task holding the lock */ holderId?: number; /** 0-based place among the waiters */ position?: number }
  | { kind: 'event' | 'condition' | 'semaphore'; resourceId: number; position?: number }
  | {
      kind: 'queue.get' | 'queue.put' | 'queue.join';
      resourceId: number;
      size: number;
      maxsize: number;
      /** queue.join: items put and not yet marked done (asyncio's unfinished tasks), what join waits for (absent from older runtimes). */
      unfinished?: number;
    }
  | { kind: 'promise'; label: string };

export type AwaitKind = Await['kind'];

/** A synchronization resource a task waits on. */
export interface ResourceRecord {
  id: number;
  kind: 'lock' | 'event' | 'condition' | 'semaphore' | 'queue';
  /** The user's name for it, or a generated one such as `Lock#3`. */
  name: string;
  /** Lock: the holder task. */
  holderId?: number;
  /** Semaphore: its value; Event: 1 if set. */
  value?: number;
  /** Queue: items in it, and its bound (0 = unbounded). */
  size?: number;
  maxsize?: number;
  /** Queue: items put and not yet marked done with taskDone() (absent from older runtimes). */
  unfinished?: number;
  /** Tasks waiting on it, in wake-up order: the first 1000 at most (see waiterCount). */
  waiterIds: number[];
  /** How many tasks wait on it in all, when more than waiterIds lists (absent otherwise, and from older runtimes). */
  waiterCount?: number;
}

/** Everything the debugger keeps about one task. Deltas carry whole records of the tasks that changed. */
export interface TaskRecord {
  id: number;
  name: string;
  state: TaskState;
  /** The task that created it (0: none, e.g. the main task). */
  parentId: number;
  /** Where it was created (innermost user frame), when known. */
  createdAt?: Frame;
  /** Where it last suspended (innermost user frame), when known. */
  location?: Frame;
  /** True when `location` may be older than the last suspension (stack sampling skipped it). */
  locationStale?: boolean;
  /** What it awaits while suspended. */
  awaiting?: Await;
  /** Loop time (ms) it entered its current state. */
  since: number;
  /** Steps run so far. */
  steps: number;
  /** Pending cancellation requests (Task.cancelling()). */
  cancelling: number;
  /** done: a short text form of the result. */
  result?: string;
  /** failed: the exception. */
  error?: ErrorInfo;
  /** cancelled: the cancel message, if any. */
  cancelMessage?: string;
  /**
   * cancelled, or cancelling: the task that requested the cancellation (called cancel() while it
   * ran), when one did (absent when it came from a callback, a timeout, or the debugger).
   */
  cancelledBy?: number;
  /**
   * Frozen by the debugger (freezeTask): it takes no step until thawed. Its state is still what it
   * is (`ready`: a step is due and held; `suspended`: its wake-up will be held). Absent when not frozen.
   */
  frozen?: boolean;
  /**
   * Time per task (agent/taskTimes.ts), in real ms, counted from the task's first scheduling the
   * debugger saw, without the time the debugger held the loop stopped. Each covers the task's life
   * up to `since`: the time in its current state since then (idle while suspended, scheduled while
   * ready) is the viewer's to add. Absent until the task took a step the agent timed.
   * busyMs: in its steps; scheduledMs: ready until running (the loop's lag for this task); idleMs:
   * suspended.
   */
  busyMs?: number;
  scheduledMs?: number;
  idleMs?: number;
  /** Steps the agent timed, when fewer than `steps` (the debugger attached after the task started). */
  timedSteps?: number;
  /**
   * The longest step timed, in ms. Absent (with stepHistogram) while every step was shorter than
   * STEP_BUCKETS_MS[0], 0.1 ms: below the clock's resolution, such steps are only counted.
   */
  longestStepMs?: number;
  /**
   * Timed steps per duration bucket: count i is of the steps shorter than STEP_BUCKETS_MS[i] and not
   * shorter than the bound before it; the last count is of steps of STEP_BUCKETS_MS's last bound or
   * longer. Trailing zero counts are left out. Absent: every timed step is in the first bucket.
   */
  stepHistogram?: number[];
}

/**
 * Upper bounds (ms) of the step-duration buckets of TaskRecord.stepHistogram: a 1-2-5 series,
 * about a power of two apart, from under 0.1 ms to 1 s and over (14 buckets).
 */
export const STEP_BUCKETS_MS: readonly number[] = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/**
 * A timeline event, packed as an array for throughput: `[kind, taskId, time]`
 * (time: loop ms). Kinds: see EventKind.
 */
export type StepEvent = [kind: EventKind, taskId: number, time: number];

export const EventKind = {
  created: 0,
  scheduled: 1,
  /** A step began (the task resumed). */
  resumed: 2,
  /** A step ended with the task suspended. */
  suspended: 3,
  done: 4,
  failed: 5,
  cancelled: 6,
} as const;
export type EventKind = (typeof EventKind)[keyof typeof EventKind];

// ---------------------------------------------------------------- handshake

export interface PeerInfo {
  /** e.g. 'loopscope-ts' for this runtime, 'loopscope-dap' for the adapter. */
  name: string;
  version: string;
  pid?: number;
  argv?: string[];
  cwd?: string;
}

/** The first message of the side that connected: its version, role and the session secret. */
export interface HelloMessage {
  type: 'hello';
  protocol: number;
  role: 'runtime' | 'debugger';
  secret: string;
  peer: PeerInfo;
}

/** The accepting side's answer to a valid hello. */
export interface WelcomeMessage {
  type: 'welcome';
  protocol: number;
  role: 'runtime' | 'debugger';
  peer: PeerInfo;
}

export type ErrorCode =
  | 'version-mismatch'
  | 'bad-secret'
  | 'malformed'
  | 'too-large'
  | 'not-ready'
  | 'unknown-command'
  | 'unknown-task'
  | 'bad-arguments'
  | 'internal';

/** A protocol-level error. On a handshake failure the sender closes the connection after it. */
export interface ErrorMessage {
  type: 'error';
  code: ErrorCode;
  message: string;
  /** version-mismatch: the versions the sender speaks. */
  supported?: number[];
}

// ---------------------------------------------------------------- runtime → debugger

export interface LoopInfo {
  id: number;
  clock: 'real' | 'virtual';
  paused: boolean;
}

/** The whole state, sent once after the handshake (and again on a `snapshot` request). */
export interface SnapshotMessage {
  type: 'snapshot';
  /** Sequence number of the last change included; deltas continue from seq + 1. */
  seq: number;
  /** Loop time (ms). */
  time: number;
  loop: LoopInfo | null;
  tasks: TaskRecord[];
  resources: ResourceRecord[];
}

/**
 * Changes since the previous message. `tasks` holds the whole current record of each task that
 * changed (coalesced: many changes to one task in a batch yield one record). Finished tasks appear
 * once with their final state and are then forgotten by the runtime (`removed` lists the ids the
 * debugger may drop too, after keeping whatever history it wants).
 */
export interface DeltaMessage {
  type: 'delta';
  seq: number;
  time: number;
  tasks: TaskRecord[];
  resources?: ResourceRecord[];
  removed?: number[];
  /**
   * Timeline events in order (only when the debugger asked for them with setOptions { timeline: true }).
   * The runtime sends them packed as `steps` (packedSteps.ts); the debugger's end (peer.ts) unpacks
   * them here, so a consumer of RuntimeConnection reads `events`.
   */
  events?: StepEvent[];
  /** The timeline events as the runtime sends them: packed (see packedSteps.ts). */
  steps?: PackedSteps;
  /** Timeline events dropped since the previous message because the debugger was not reading fast enough. */
  dropped?: number;
  /**
   * Tasks that were created and finished since the previous message while the debugger was not
   * reading fast enough, and were never sent (their records were dropped to bound memory).
   */
  droppedTasks?: number;
}

export type StopReason =
  | 'entry'
  | 'pause'
  | 'step'
  | 'breakpoint'
  | 'taskCreated'
  | 'taskSuspend'
  | 'taskResume'
  | 'taskFailed'
  | 'taskCancelled'
  | 'unretrievedException';

/** The loop stopped: no task step runs until `resume` or a step command. */
export interface StoppedMessage {
  type: 'stopped';
  reason: StopReason;
  /** The task the stop is about (the one that hit the breakpoint, that just stepped, or that runs next). */
  taskId?: number;
  /** Ids of the source/task breakpoints that caused it. */
  breakpointIds?: number[];
  /** Where (user frame), when known. */
  location?: Frame;
  /** Human-readable, e.g. "worker-2 suspended at crawler.ts:41". */
  description: string;
  /** The task whose step is next in the ready queue, if any. */
  nextTaskId?: number;
  /**
   * What a debugger reads first at every stop travels with it (optional: a debugger that finds it absent asks):
   * no round trip, and nothing to ask while a JavaScript debugger holds the process, as the agent
   * stops one right after a breakpoint stop. The ready queue, as the readyQueue command answers.
   */
  readyQueue?: { taskIds: number[]; callbacks: number };
  /** The stopped task's details, as the taskDetails command answers (when the stop names a task). */
  task?: TaskDetails;
}

export interface ContinuedMessage {
  type: 'continued';
}

/** The program's run() finished (its loop closed). */
export interface LoopClosedMessage {
  type: 'loopClosed';
  loopId: number;
  /** The main task's outcome. */
  outcome: 'done' | 'failed' | 'cancelled';
  error?: ErrorInfo;
}

/**
 * A coroutine that was made and thrown away without being awaited (`worker(1);` for
 * `yield* worker(1)`): nothing ever runs it. asyncio's "coroutine 'worker' was never awaited".
 */
export interface NeverAwaitedCoroutine {
  /** The called function's name as written at the call (`worker`, `fetch` of `this.fetch(...)`). */
  name: string;
  /** The call: its file, line and column; `function` is the function the call is in. */
  location: Frame;
}

/**
 * Never-awaited coroutines not yet reported on this connection, each call site once (the first time
 * it made one). Only programs loaded through the await-site transform report them.
 */
export interface NeverAwaitedMessage {
  type: 'neverAwaited';
  coroutines: NeverAwaitedCoroutine[];
  /** Never-awaited coroutines the runtime lost before reporting them (more than it keeps between two batches), since the previous message. */
  dropped?: number;
}

/**
 * A task step that ran longer than the slow-step threshold (setOptions `slowStepMs`, by default
 * LOOPSCOPE_SLOW_STEP_MS or 100 ms, asyncio's slow_callback_duration): the task held the loop and
 * every other task waited. Sent with the next batch after the step ended.
 */
export interface SlowStepMessage {
  type: 'slowStep';
  taskId: number;
  name: string;
  /** How long the step ran (real ms, without time the debugger held the program stopped in it). */
  durationMs: number;
  /** The threshold it passed (ms). */
  thresholdMs: number;
  /** Loop time (ms) the step ended. */
  time: number;
  /** Where the step began: the await the task resumed from. Absent for a first step (see firstStep) or code the await-site transform did not see. */
  resumedAt?: Frame;
  /** The step was the task's first: it started the coroutine. */
  firstStep?: boolean;
  /** Where the task suspended when the step ended. */
  suspendedAt?: Frame;
  /** The step finished the task: how. */
  outcome?: 'done' | 'failed' | 'cancelled';
  /** Slow steps not reported since the previous slowStep message (more than the runtime keeps between two batches). */
  dropped?: number;
}

/**
 * The loop's lag: the mean time a task step waited in the ready queue (ready until running) over
 * the last period (about a second), sent once per period in which steps ran, and once more after
 * one in which none did (steps 0).
 */
export interface LoopLagMessage {
  type: 'loopLag';
  /** Mean and longest wait of the steps that ran in the period (ms, real time). */
  meanMs: number;
  maxMs: number;
  /** Steps that ran in the period. */
  steps: number;
  /** The period's length (ms). */
  periodMs: number;
}

export interface ResponseMessage {
  type: 'response';
  id: number;
  ok: boolean;
  body?: unknown;
  error?: { code: ErrorCode; message: string };
}

// ---------------------------------------------------------------- debugger → runtime

export interface SourceBreakpoint {
  id: number;
  /** Absolute path of the (original) source file. */
  file: string;
  line: number;
  /** 'suspend' (default): stop when a task suspends at this line; 'resume': when a task resumes from it. */
  mode?: 'suspend' | 'resume';
  /** Stop only for tasks whose name matches (a glob with `*`). */
  taskName?: string;
  /** Stop on the Nth hit (and every hit after). */
  hitCount?: number;
}

export type LifecycleKind = 'taskCreated' | 'taskSuspend' | 'taskResume' | 'taskFailed' | 'taskCancelled' | 'unretrievedException';

export interface LifecycleBreakpoint {
  kind: LifecycleKind;
  /** Only tasks whose name matches (glob with `*`). */
  taskName?: string;
}

/** Stop when a task with this name (glob) or this id is about to resume. */
export interface TaskBreakpoint {
  id: number;
  taskName?: string;
  taskId?: number;
  /** Remove the breakpoint after its first hit ("break on this task's next resume"). */
  once?: boolean;
}

export interface CommandMap {
  /** Stop at the next task switch. */
  pause: { args: Record<string, never>; body: { paused: boolean } };
  resume: { args: Record<string, never>; body: Record<string, never> };
  /** Run exactly one task step (whichever task is next), then stop. */
  step: { args: Record<string, never>; body: Record<string, never> };
  /** Run until the given task's next suspension (or end), then stop. */
  stepTask: { args: { taskId: number }; body: Record<string, never> };
  /** Run until the given task finishes, then stop. */
  stepOut: { args: { taskId: number }; body: Record<string, never> };
  /**
   * Replaces the source breakpoints: all of them, or with `file`, only that file's (then every
   * breakpoint given must be in that file; an empty list clears the file).
   */
  setBreakpoints: { args: { breakpoints: SourceBreakpoint[]; file?: string }; body: { breakpoints: { id: number; verified: boolean; message?: string }[] } };
  setLifecycleBreakpoints: { args: { breakpoints: LifecycleBreakpoint[] }; body: Record<string, never> };
  setTaskBreakpoints: { args: { breakpoints: TaskBreakpoint[] }; body: Record<string, never> };
  cancelTask: { args: { taskId: number; message?: string }; body: { cancelled: boolean } };
  /** Freeze the task: its steps are held aside while the others run (`frozen`: false if it already was). */
  freezeTask: { args: { taskId: number }; body: { frozen: boolean } };
  /** Thaw the task: a held step goes to the end of the ready queue (`thawed`: false if it was not frozen). */
  thawTask: { args: { taskId: number }; body: { thawed: boolean } };
  taskDetails: { args: { taskId: number }; body: TaskDetails };
  readyQueue: { args: Record<string, never>; body: { taskIds: number[]; callbacks: number } };
  snapshot: { args: Record<string, never>; body: Record<string, never> };
  setOptions: { args: AgentOptions; body: AgentOptions };
}

export type CommandName = keyof CommandMap;

export interface RequestMessage<C extends CommandName = CommandName> {
  type: 'request';
  id: number;
  command: C;
  args: CommandMap[C]['args'];
}

/** Everything known about one task, for the debugger's stack and variables. */
export interface TaskDetails {
  task: TaskRecord;
  /** Await chain at the last suspension: the user's frames, innermost first. */
  suspendStack: Frame[];
  /** Where it was created: the user's frames, innermost first. */
  creationStack: Frame[];
  /** Its ancestors, nearest first (who created it, who created that, ...). */
  creationChain: { id: number; name: string; createdAt?: Frame }[];
  /** What it awaits, and what that awaits, ... (task ids), ending in a non-task or a cycle. */
  awaitingChain: number[];
  /** Set when the awaiting chain returns to a task already in it. */
  cycle?: number[];
  /** Tasks that await this one. */
  awaitedBy: number[];
  /** Resources involved in its await (lock and its holder, queue...). */
  resources: ResourceRecord[];
  /** Its child tasks (created by it), by id. */
  children: number[];
}

export interface AgentOptions {
  /** Stream timeline events (resumed/suspended/...) in deltas. */
  timeline?: boolean;
  /**
   * Record source stacks at suspensions: 'always' (exact, costly), 'sampled' (a time budget keeps
   * the cost bounded; locations may be stale, flagged by locationStale), 'off'.
   */
  stacks?: 'always' | 'sampled' | 'off';
  /** Milliseconds between delta batches. */
  flushIntervalMs?: number;
  /** Task-name globs: each task created with a matching name is frozen before its first step. */
  freeze?: string[];
  /** When the loop would wait for ever with tasks frozen (nothing else can run), thaw them all. */
  thawWhenIdle?: boolean;
  /** A task step longer than this (ms) is reported (slowStep); 0: never. Default LOOPSCOPE_SLOW_STEP_MS, or 100. */
  slowStepMs?: number;
}

export type RuntimeToDebugger =
  | HelloMessage
  | WelcomeMessage
  | ErrorMessage
  | SnapshotMessage
  | DeltaMessage
  | StoppedMessage
  | ContinuedMessage
  | LoopClosedMessage
  | NeverAwaitedMessage
  | SlowStepMessage
  | LoopLagMessage
  | ResponseMessage;

export type DebuggerToRuntime = HelloMessage | WelcomeMessage | ErrorMessage | RequestMessage;

export type AnyMessage = RuntimeToDebugger | DebuggerToRuntime;
