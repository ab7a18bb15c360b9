// The combinators (asyncio.tasks, asyncio.timeouts, asyncio.taskgroups). Each tags the future a
// task waits on (see ../waits.ts), so the debugger sees which children a task still awaits.
export { gather, GatheringFuture, type GatherOptions } from './gather';
export { wait, FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED, type ReturnWhen, type WaitOptions } from './wait';
export { waitFor } from './waitFor';
export { timeout, timeoutAt, Timeout } from './timeout';
export { shield } from './shield';
export { asCompleted, type AsCompletedOptions } from './asCompleted';
export { taskGroup, TaskGroup } from './taskGroup';
