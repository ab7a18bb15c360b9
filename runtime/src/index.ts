/**
 * loopscope: Python asyncio's cooperative model in TypeScript.
 *
 * Coroutines are generator functions (`function*`), awaited with `yield*`:
 *
 *   import { run, createTask, sleep } from 'loopscope';
 *   function* main() { const t = createTask(worker()); yield* sleep(100); return yield* t; }
 *   await run(main());
 */
export { run, createTask, currentTask, allTasks, setStartupHook, type RunOptions } from './run';
export { getRunningLoop } from './running';
export { EventLoop, type ExceptionContext, type ExceptionHandler, type LoopOptions, type LoopControl } from './loop';
export { Future, isFuture, type DoneCallback, type WaitKind } from './future';
export { Task, type TaskOptions } from './task';
export { Handle, TimerHandle, type Runnable } from './handle';
export { sleep } from './sleep';
export { fromPromise, ensureFuture } from './interop';
export { SLEEP0, isCoroutine, type Coroutine, type Awaitable, type Yielded } from './coroutine';
export {
  CancelledError,
  TimeoutError,
  InvalidStateError,
  RuntimeError,
  QueueEmpty,
  QueueFull,
  QueueShutDown,
  ExceptionGroup,
} from './errors';
export { addInstrument, removeInstrument, type Instrument } from './hooks';
export { captureStack, userFrames, type SourceFrame, type CapturedStack } from './stacks';
export * from './combinators/index';
export * from './primitives/index';
