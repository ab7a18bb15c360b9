/**
 * The loop watchdog, main thread's side. A task that runs a synchronous loop blocks the event loop,
 * and the agent with it: it can neither notice nor say anything. So while a debugger is connected a
 * worker thread (watchdogWorker.ts) watches a heartbeat this thread writes into shared memory
 * (watchdogShared.ts) and tells the debugger itself, over its own connection, which task step holds
 * the loop and where it resumed.
 *
 * What this thread pays: a timer every BEAT_MS writing the time; at each task step three Int32
 * stores before it and one after (the step hooks below, installed only while a debugger is
 * connected); a task's name copied into the shared ring at its first step (named tasks only).
 * No clock read and no message per step: the worker works out when a step began from its own polls.
 */
import { Worker } from 'node:worker_threads';
import type { Task } from '../task';
import { addInstrument, removeInstrument, type Instrument } from '../hooks';
import { getRunningLoopOrNull } from '../running';
import { innermostSite, sitesGlobal } from '../sites/registry';
import type { FramedSocket } from '../protocol/framing';
import { MAX_NAME_UNITS, POS_MASK, RING_UNITS, SLOT, sharedViews, type SharedViews } from './watchdogShared';
import { WATCHDOG_WORKER_SOURCE, type WatchdogWorkerData } from './watchdogWorker';

/** The environment variable setting how long (ms) the loop must be blocked before a debugger is told; 0 turns the watchdog off. */
export const BLOCKED_MS_ENV = 'LOOPSCOPE_BLOCKED_MS';
export const DEFAULT_BLOCKED_MS = 250;
/** While the loop stays blocked, it is said again this often (ms). */
const REPEAT_MS = 1000;
/** How often the main thread writes its heartbeat, and the worker reads it (ms). */
const BEAT_MS = 20;
const POLL_MS = 20;
const RING_MASK = RING_UNITS - 1;

/** The watchdog's threshold from the environment: null when it is turned off. Throws (a message for the user) on a bad value. */
export function blockedThreshold(env: NodeJS.ProcessEnv): number | null {
  const text = env[BLOCKED_MS_ENV];
  if (text === undefined || text.trim() === '') return DEFAULT_BLOCKED_MS;
  const ms = Number(text);
  if (!Number.isFinite(ms) || ms < 0) throw new Error(`${BLOCKED_MS_ENV}=${JSON.stringify(text)}: expected a number of milliseconds (0 turns the blocked-loop watchdog off)`);
  return ms === 0 ? null : Math.max(ms, 2 * POLL_MS);
}

class Watchdog implements Instrument {
  private readonly shared: SharedViews = sharedViews();
  /** The Int32 slots, held directly: the step hooks below run at every task switch. */
  private readonly ints = this.shared.ints;
  private readonly worker: Worker;
  private readonly timer: ReturnType<typeof setInterval>;
  /** How many entries of the sites queue the worker has. */
  private sitesSent: number;
  private namePos = 0;
  readonly port: Promise<number | null>;

  constructor(secret: string, thresholdMs: number) {
    const { ints, beat } = this.shared;
    ints[SLOT.SITE] = -1;
    beat[0] = performance.timeOrigin + performance.now();
    const q = sitesGlobal().q;
    this.sitesSent = q.length;
    const names: [number, string][] = [];
    const loop = getRunningLoopOrNull();
    if (loop !== null) for (const t of loop._tasks) if (t._name !== null) names.push([t.id, t._name.slice(0, MAX_NAME_UNITS)]);
    const data: WatchdogWorkerData = {
      buffer: this.shared.buffer,
      secret,
      thresholdMs,
      repeatMs: REPEAT_MS,
      pollMs: POLL_MS,
      names,
      sites: q.slice(),
      peer: { name: 'loopscope-ts-watchdog', version: '0.1.0', pid: process.pid },
    };
    // No execArgv: the program's --import loaders (tsx, the await-site transform) have nothing to do here.
    this.worker = new Worker(WATCHDOG_WORKER_SOURCE, { eval: true, workerData: data, execArgv: [], name: 'loopscope watchdog', stdout: false, stderr: false });
    // Never keeps the program alive.
    this.worker.unref();
    this.port = new Promise((resolve) => {
      this.worker.once('message', (m: { port?: number; error?: string }) => {
        if (typeof m.port === 'number') resolve(m.port);
        else {
          process.stderr.write(`loopscope: the blocked-loop watchdog cannot listen on loopback (${m.error ?? 'unknown error'}); blocked loops will not be reported\n`);
          resolve(null);
        }
      });
      this.worker.once('error', (err) => {
        process.stderr.write(`loopscope: the blocked-loop watchdog stopped (${err.message}); blocked loops will not be reported\n`);
        resolve(null);
      });
    });
    this.timer = setInterval(() => this.beat(), BEAT_MS);
    this.timer.unref();
    addInstrument(this);
  }

  private beat(): void {
    this.shared.beat[0] = performance.timeOrigin + performance.now();
    // Modules loaded since: their sites, for naming where a blocking step resumed.
    const q = sitesGlobal().q;
    if (q.length > this.sitesSent) {
      this.worker.postMessage({ sites: q.slice(this.sitesSent) });
      this.sitesSent = q.length;
    }
  }

  beforeTaskStep(task: Task<unknown>): void {
    const ints = this.ints;
    ints[SLOT.TASK] = task.id;
    ints[SLOT.STEPS] = task._steps;
    ints[SLOT.SITE] = innermostSite(task);
    if (task._steps === 1 && task._name !== null) this.writeName(task.id, task._name);
  }

  afterTaskStep(): void {
    this.ints[SLOT.TASK] = 0;
  }

  /** The agent is about to hold this thread in a JavaScript debugger on purpose: that is no block. */
  setHeld(held: boolean): void {
    Atomics.store(this.shared.ints, SLOT.HELD, held ? 1 : 0);
  }

  private writeName(id: number, name: string): void {
    const ring = this.shared.ring;
    const n = Math.min(name.length, MAX_NAME_UNITS);
    let p = this.namePos;
    ring[p & RING_MASK] = id & 0xffff;
    ring[(p + 1) & RING_MASK] = (id >>> 16) & 0xffff;
    ring[(p + 2) & RING_MASK] = n;
    for (let i = 0; i < n; i++) ring[(p + 3 + i) & RING_MASK] = name.charCodeAt(i);
    p = (p + 3 + n) & POS_MASK;
    this.namePos = p;
    Atomics.store(this.shared.ints, SLOT.NAME_END, p);
  }

  stop(): void {
    removeInstrument(this);
    clearInterval(this.timer);
    void this.worker.terminate();
  }
}

let current: Watchdog | null = null;
let users = 0;

export interface LoopWatch {
  /** Resolves once the debugger has been told where the watchdog listens (or it cannot be). */
  ready: Promise<void>;
  /** For when the session ends: the watchdog stops with the last one. */
  release(): void;
}

/**
 * Tells the debugger behind `framed` where the watchdog listens (a `watchdog` message with its
 * port), starting the watchdog if no session runs one yet. The port is known only once the worker
 * listens (tens of ms): a launched program waits for `ready` before its first step, since the main
 * thread could not pass the port on while a task blocks it.
 */
export function watchLoopFor(framed: FramedSocket, secret: string): LoopWatch {
  let threshold: number | null;
  try {
    threshold = blockedThreshold(process.env);
  } catch (err) {
    process.stderr.write(`loopscope: ${(err as Error).message}; blocked loops will not be reported\n`);
    threshold = null;
  }
  const none: LoopWatch = { ready: Promise.resolve(), release: () => {} };
  if (threshold === null) return none;
  try {
    current ??= new Watchdog(secret, threshold);
  } catch (err) {
    process.stderr.write(`loopscope: cannot start the blocked-loop watchdog (${(err as Error).message}); blocked loops will not be reported\n`);
    return none;
  }
  const dog = current;
  users++;
  const ready = dog.port.then((port) => {
    if (port !== null && !framed.isClosed && current === dog) framed.send({ type: 'watchdog', port, thresholdMs: threshold });
  });
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (--users === 0 && current === dog) {
      current = null;
      dog.stop();
    }
  };
  return { ready, release };
}

/** Around the agent's own `debugger` statement (control.ts): the thread is held on purpose, not blocked. */
export function holdingForJsDebugger(held: boolean): void {
  current?.setHeld(held);
}
