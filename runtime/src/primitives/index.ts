// The synchronization primitives and queues: Lock, Event, Condition, Semaphore, BoundedSemaphore, Queue, PriorityQueue, LifoQueue.
export {};
