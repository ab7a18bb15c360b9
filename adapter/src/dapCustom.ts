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
  StopReason,
  TaskDetails,
  AgentOptions,
} from '../../runtime/src/protocol/wire';

/** The debug type contributed by the extension. */
export const DEBUG_TYPE = 'loopscope';

/** Lifecycle exception-filter ids (each accepts a task-name condition). */
export const LIFECYCLE_FILTERS = ['taskCreated', 'taskSuspend', 'taskResume', 'taskFailed', 'taskCancelled', 'unretrievedException'] as const;
export type LifecycleFilter = (typeof LIFECYCLE_FILTERS)[number];

// ---------------------------------------------------------------- events (adapter → extension)

export interface CustomEvents {
  /** The whole task state (after connecting, after a resync); the tree rebuilds from it. */
  'loopscope/snapshot': SnapshotMessage;
  /** Coalesced changes since the last snapshot/delta, as the runtime streamed them. */
  'loopscope/delta': DeltaMessage;
  /** The loop stopped (mirrors the DAP stopped event with Loopscope's reason). */
  'loopscope/stopped': { reason: StopReason; taskId?: number; nextTaskId?: number; location?: Frame; description: string };
  /** The loop runs again. */
  'loopscope/continued': Record<string, never>;
  /** The runtime connected (or not): what the tree view shows in its message line. */
  'loopscope/status': { state: 'waiting' | 'connected' | 'noRuntime' | 'exited' | 'error'; message: string; pid?: number };
}
export type CustomEventName = keyof CustomEvents;

// ---------------------------------------------------------------- requests (extension → adapter)

export interface CustomRequests {
  'loopscope/cancelTask': { args: { taskId: number; message?: string }; body: { cancelled: boolean } };
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
}
export type CustomRequestName = keyof CustomRequests;

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
  /** Most tasks listed as threads in the Call Stack (the Tasks view shows all). Default 64. */
  maxThreads?: number;
  /** Stream the timeline of task steps (for the Task Inspector). Default true. */
  timeline?: boolean;
  /** Source stacks at suspensions: 'sampled' (default), 'always', 'off'. */
  stacks?: 'always' | 'sampled' | 'off';
  /** Seconds to wait for the program to load the runtime before saying so. Default 10. */
  connectTimeout?: number;
}

export interface AttachArguments {
  /** Loopback address the program's agent listens on (LOOPSCOPE_LISTEN). Default 127.0.0.1. */
  address?: string;
  port: number;
  /** The secret the program was started with (LOOPSCOPE_SECRET). */
  secret: string;
  maxThreads?: number;
  timeline?: boolean;
  stacks?: 'always' | 'sampled' | 'off';
}
