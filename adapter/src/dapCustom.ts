/**
 * Loopscope's custom DAP requests and events, declared once and typed: the adapter sends and answers
 * them, the extension consumes them (session.customRequest, onDidReceiveDebugSessionCustomEvent).
 * No import of `vscode` here: the adapter runs outside the editor too.
 */
import type {
  Frame,
  ResourceRecord,
  SnapshotMessage,
  DeltaMessage,
  NeverAwaitedMessage,
  SlowStepMessage,
  LoopLagMessage,
  StopReason,
  TaskDetails,
  AgentOptions,
} from '../../runtime/src/protocol/wire';
import type { LoopBlockedMessage, LoopUnblockedMessage } from '../../runtime/src/protocol/watchdogWire';

/** The debug type contributed by the extension. */
export const DEBUG_TYPE = 'loopscope';

/** Lifecycle exception-filter ids (each accepts a task-name condition). */
export const LIFECYCLE_FILTERS = ['taskCreated', 'taskSuspend', 'taskResume', 'taskFailed', 'taskCancelled', 'unretrievedException'] as const;
export type LifecycleFilter = (typeof LIFECYCLE_FILTERS)[number];

/** What the Breakpoints view shows for each lifecycle filter (label, hover), and whether it starts checked. */
export const LIFECYCLE_FILTER_INFO: Record<LifecycleFilter, { label: string; description: string; default: boolean }> = {
  taskCreated: { label: 'Task created', description: 'Stop when a task is created (before its first step).', default: false },
  taskSuspend: { label: 'Task suspends', description: 'Stop whenever a task suspends at an await.', default: false },
  taskResume: { label: 'Task resumes', description: 'Stop whenever a suspended task is about to resume.', default: false },
  taskFailed: { label: 'Task failed', description: 'Stop when a task ends with an exception.', default: false },
  taskCancelled: { label: 'Task cancelled', description: 'Stop when a task ends cancelled.', default: false },
  unretrievedException: {
    label: 'Unretrieved task exception',
    description: "Stop when a failed task's exception was never retrieved (asyncio's \"Task exception was never retrieved\").",
    default: true,
  },
};

/**
 * The condition every Loopscope breakpoint (source, lifecycle filter, function) accepts: the task's
 * name, as a glob (`worker-*`) or as `name == "worker-*"`. Shown as the filters' condition hint.
 */
export const TASK_NAME_CONDITION_HINT = 'Task name: a glob such as worker-* or name == "worker-*"';

/**
 * Source breakpoint modes (DAP `breakpointModes`; VS Code 1.90+ offers them in the breakpoint's
 * Edit Mode picker). 'suspend' is the default when a breakpoint carries no mode.
 */
export const BREAKPOINT_MODES = [
  { mode: 'suspend', label: 'On suspend', description: 'Stop when a task suspends at this await (the default).', appliesTo: ['source'] },
  { mode: 'resume', label: 'On resume', description: 'Stop when a task resumes from this await.', appliesTo: ['source'] },
] as const satisfies readonly { mode: string; label: string; description: string; appliesTo: string[] }[];
export type BreakpointModeId = (typeof BREAKPOINT_MODES)[number]['mode'];

/** Launch/attach defaults (the JSON schema in package.json states the same). */
export const DEFAULT_MAX_THREADS = 64;
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;
/** asyncio's slow_callback_duration (the runtime's default too). */
/** Off by default: timing every step costs a busy program about half again (docs/performance.md). */
export const DEFAULT_SLOW_STEP_MS = 0;

// ---------------------------------------------------------------- events (adapter → extension)

export interface CustomEvents {
  /** The whole task state (after connecting, after a resync); the tree rebuilds from it. */
  'loopscope/snapshot': SnapshotMessage;
  /** Coalesced changes since the last snapshot/delta, as the runtime streamed them. */
  'loopscope/delta': DeltaMessage;
  /**
   * Coroutines the program made and never awaited (`worker(1);` for `yield* worker(1)`), as the
   * runtime reported them: each call site once per connection. The extension warns at each line.
   */
  'loopscope/neverAwaited': NeverAwaitedMessage;
  /**
   * The runtime's watchdog says a task step has held the loop past the threshold (sent then, and every
   * second while it lasts): `text` is the short form the status bar shows ("loop blocked 2.3 s by
   * worker-3 (#5) at crawler.ts:40"). The runtime answers nothing meanwhile.
   */
  'loopscope/loopBlocked': LoopBlockedMessage & { text: string };
  /**
   * A task step ran longer than the slow-step threshold (`slowStepMs`): `text` is asyncio's sentence
   * ("Executing worker-2 took 0.150 seconds (resumed at crawler.ts:40, suspended at crawler.ts:44)").
   * The extension warns at the line it resumed at and marks the task's row. Steps the JavaScript
   * debugger held are left out.
   */
  'loopscope/slowStep': SlowStepMessage & { text: string };
  /** The loop's lag over the last second (the mean wait in the ready queue), for the status bar. */
  'loopscope/loopLag': LoopLagMessage;
  /** The loop runs again after a block (`text`: one sentence saying for how long and by whom). */
  'loopscope/loopUnblocked': LoopUnblockedMessage & { text: string };
  /**
   * A DAP pause the runtime did not answer within a second: it was answered anyway, and the pause
   * takes effect when the loop is given back (then a stopped event follows). `blocked`: what holds the
   * loop, when the watchdog said so; the extension then pauses the JavaScript debugger, whose stack
   * shows the blocking step.
   */
  'loopscope/pauseWaiting': { text: string; blocked?: LoopBlockedMessage };
  /** The loop stopped (mirrors the DAP stopped event with Loopscope's reason). */
  'loopscope/stopped': { reason: StopReason; taskId?: number; nextTaskId?: number; location?: Frame; description: string };
  /** The loop runs again. */
  'loopscope/continued': Record<string, never>;
  /** The runtime connected (or not): what the tree view shows in its message line. */
  'loopscope/status': { state: 'waiting' | 'connected' | 'noRuntime' | 'exited' | 'error'; message: string; pid?: number };
  /**
   * Start the program under VS Code's JavaScript debugger: the extension calls
   * vscode.debug.startDebugging with this `pwa-node` configuration as a child of the session, and
   * answers 'loopscope/jsDebugFailed' if it cannot. (DAP's startDebugging reverse request cannot do
   * this: VS Code starts its child with the parent's own debug type.)
   */
  'loopscope/startJsDebug': { configuration: Record<string, unknown> };
}
export type CustomEventName = keyof CustomEvents;
/** A custom event as the extension receives it (DebugSessionCustomEvent's event and body). */
export type CustomEventOf<E extends CustomEventName = CustomEventName> = { [K in E]: { event: K; body: CustomEvents[K] } }[E];

// ---------------------------------------------------------------- requests (extension → adapter)

export interface CustomRequests {
  'loopscope/cancelTask': { args: { taskId: number; message?: string }; body: { cancelled: boolean } };
  /**
   * Freeze the task: it takes no step while the others run (a step that comes due is held aside),
   * until 'loopscope/thawTask' or the session ends. `frozen`: false if it already was.
   */
  'loopscope/freezeTask': { args: { taskId: number }; body: { frozen: boolean } };
  /** Thaw the task: a held step goes to the end of the ready queue. `thawed`: false if it was not frozen. */
  'loopscope/thawTask': { args: { taskId: number }; body: { thawed: boolean } };
  /** Run exactly one scheduler step (whichever task is next), then stop. */
  'loopscope/stepScheduler': { args: Record<string, never>; body: Record<string, never> };
  /** The ready queue, in scheduling order. */
  'loopscope/readyQueue': { args: Record<string, never>; body: { taskIds: number[]; callbacks: number } };
  'loopscope/taskDetails': { args: { taskId: number }; body: TaskDetails };
  /** Stop when this task next resumes (once). */
  'loopscope/breakOnResume': { args: { taskId: number }; body: Record<string, never> };
  /** Ask for a fresh 'loopscope/snapshot' event. */
  'loopscope/snapshot': { args: Record<string, never>; body: Record<string, never> };
  'loopscope/setOptions': { args: AgentOptions; body: AgentOptions };
  /** Select this task's thread in the Call Stack (the adapter sends a stopped event focusing it when paused). */
  'loopscope/focusTask': { args: { taskId: number }; body: { focused: boolean } };
  'loopscope/resources': { args: Record<string, never>; body: { resources: ResourceRecord[] } };
  /** The extension could not start the JavaScript child session asked for by 'loopscope/startJsDebug'. */
  'loopscope/jsDebugFailed': { args: { message: string }; body: Record<string, never> };
  /**
   * The JavaScript child session paused (a line breakpoint, the user's pause) or went on. While it
   * holds the program the loop is held too; the runtime's watchdog cannot tell that from a task that
   * does not give the loop back, so the adapter does not call it a blocked loop.
   */
  'loopscope/jsDebugPaused': { args: { paused: boolean }; body: Record<string, never> };
}
export type CustomRequestName = keyof CustomRequests;
export type CustomRequestArgs<R extends CustomRequestName> = CustomRequests[R]['args'];
export type CustomRequestBody<R extends CustomRequestName> = CustomRequests[R]['body'];

export function isCustomRequest(command: string): command is CustomRequestName {
  return Object.prototype.hasOwnProperty.call(CUSTOM_REQUEST_NAMES, command);
}
/** Every custom request by name (a runtime list for dispatching; the keys are checked against CustomRequests). */
const CUSTOM_REQUEST_NAMES: Record<CustomRequestName, true> = {
  'loopscope/cancelTask': true,
  'loopscope/freezeTask': true,
  'loopscope/thawTask': true,
  'loopscope/stepScheduler': true,
  'loopscope/readyQueue': true,
  'loopscope/taskDetails': true,
  'loopscope/breakOnResume': true,
  'loopscope/snapshot': true,
  'loopscope/setOptions': true,
  'loopscope/focusTask': true,
  'loopscope/resources': true,
  'loopscope/jsDebugFailed': true,
  'loopscope/jsDebugPaused': true,
};

// ---------------------------------------------------------------- launch and attach

/** The `loopscope` launch configuration (the JSON schema in package.json describes the same fields). */
export interface LaunchArguments {
  /** A .ts or .js file; TypeScript runs with no build step. */
  program: string;
  args?: string[];
  cwd?: string;
  env?: Record<string, string | null>;
  /** Node executable (default: `node` on PATH). */
  runtimeExecutable?: string;
  runtimeArgs?: string[];
  /** Stop before the first task step. */
  stopOnEntry?: boolean;
  /** Where the program's output goes. */
  console?: 'internalConsole' | 'integratedTerminal';
  /** Also debug the program with VS Code's JavaScript debugger (a child session): line breakpoints, locals, watch. Default true in the editor. */
  jsDebug?: boolean;
  /**
   * Set by the Loopscope extension (never by users): the client starts the JavaScript child session
   * when the adapter sends 'loopscope/startJsDebug'. Other clients run the program without js-debug.
   */
  __jsDebugByExtension?: boolean;
  /** Most tasks listed as threads in the Call Stack (the Tasks view shows all). Default 64. */
  maxThreads?: number;
  /** Stream the timeline of task steps from the start (for the Task Inspector). Default false: it costs every task step; loopscope/setOptions turns it on and off. */
  timeline?: boolean;
  /** Source stacks at suspensions: 'sampled' (default), 'always', 'off'. */
  stacks?: 'always' | 'sampled' | 'off';
  /** A task step longer than this (ms) is reported as slow (asyncio's slow_callback_duration); 0: never. Default 100. */
  slowStepMs?: number;
  /** Seconds to wait for the program to load the runtime before saying so. Default 10. */
  connectTimeout?: number;
  /** Log the adapter's DAP traffic (for reporting a bug in the adapter). */
  trace?: boolean;
}

export interface AttachArguments {
  /** Loopback address the program's agent listens on (LOOPSCOPE_LISTEN). Default 127.0.0.1. */
  address?: string;
  port: number;
  /** The secret the program was started with (LOOPSCOPE_SECRET). */
  secret: string;
  /** Attach to an address that is not loopback (the secret and messages cross the network in clear text). Default false. */
  allowRemote?: boolean;
  maxThreads?: number;
  timeline?: boolean;
  stacks?: 'always' | 'sampled' | 'off';
  slowStepMs?: number;
  /** Log the adapter's DAP traffic (for reporting a bug in the adapter). */
  trace?: boolean;
}
