/**
 * The runtime's errors, named as asyncio names them so that users who know asyncio
 * recognise them. Each sets `name` so that stacks and `String(err)` say what it is.
 */
import { isInstance, safeString } from './safeText';

/** Thrown into a coroutine at its suspension point when its task is cancelled. */
export class CancelledError extends Error {
  override name = 'CancelledError';
  constructor(message?: string, options?: ErrorOptions) {
    // task.cancel(msg) takes any value from JavaScript (asyncio's msg is any object): a Symbol or an
    // object whose toString throws must still make a CancelledError, or the cancellation is lost.
    super(typeof message === 'string' ? message : message == null ? '' : safeString(message), options);
  }
}

/** A deadline passed (waitFor, timeout, wait with a timeout). */
export class TimeoutError extends Error {
  override name = 'TimeoutError';
  /** `cause`: the CancelledError the timeout turned into this error (Python's `raise TimeoutError from exc`). */
  constructor(message?: string, options?: ErrorOptions) {
    super(message ?? '', options);
  }
}

/** An operation that is not allowed in the object's current state (result of a pending future, a second setResult). */
export class InvalidStateError extends Error {
  override name = 'InvalidStateError';
}

/** A misuse of the runtime that asyncio reports as RuntimeError (bad yield, no running loop, releasing an unlocked Lock). */
export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

export class QueueEmpty extends Error {
  override name = 'QueueEmpty';
}

export class QueueFull extends Error {
  override name = 'QueueFull';
}

export class QueueShutDown extends Error {
  override name = 'QueueShutDown';
}

/**
 * Several errors raised together, as Python's ExceptionGroup: thrown by a TaskGroup
 * holding every child's error. It is an AggregateError, so plain JavaScript code that
 * knows AggregateError can read `errors`.
 */
export class ExceptionGroup extends AggregateError {
  override name = 'ExceptionGroup';
  constructor(message: string, errors: readonly unknown[]) {
    super(errors, message);
  }
  /** The sub-group (or null) of the errors that match `predicate`, flattening nested groups as Python's subgroup() keeps them. */
  subgroup(predicate: (err: unknown) => boolean): ExceptionGroup | null {
    const kept: unknown[] = [];
    for (const e of this.errors) {
      if (isInstance(e, ExceptionGroup)) {
        const sub = e.subgroup(predicate);
        if (sub) kept.push(sub);
      } else if (predicate(e)) kept.push(e);
    }
    return kept.length ? new ExceptionGroup(this.message, kept) : null;
  }
}
