// The synchronization primitives (asyncio.locks and asyncio.queues). Each is a debugger Resource
// (see ../waits.ts): the tasks waiting on it and who holds it are visible to the debugger.
export { Lock } from './lock';
export { Event } from './event';
export { Condition } from './condition';
export { Semaphore, BoundedSemaphore } from './semaphore';
export { Queue } from './queue';
export { PriorityQueue, LifoQueue, pythonOrder, type PriorityQueueOptions, type Compare } from './orderedQueues';
export type { PrimitiveOptions } from './waiters';
