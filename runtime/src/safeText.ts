/**
 * Program values as text, for the runtime's own messages and for the debugger, without ever
 * throwing. JavaScript can throw anything: null, a Symbol, an Error whose `name` or `message` getter
 * throws, an object whose `toString` throws, a Proxy with throwing traps, a revoked Proxy (which
 * throws on any access, even `instanceof`). Describing such a value must not change what the
 * program does, so every read here is guarded, and a value that throws when read is shown as
 * `<unreadable: what reading it threw>`. User code (getters, traps, toString) runs only as far as
 * the text needs it, once per read.
 */

// Taken at load: a program may replace the prototypes' methods later.
const symbolToString = Symbol.prototype.toString;

/** `value instanceof C`, false when asking throws (a revoked Proxy, a getPrototypeOf trap that throws). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor, whatever its parameters
export function isInstance<T>(value: unknown, C: abstract new (...args: any[]) => T): value is T {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return false;
  try {
    return value instanceof C;
  } catch {
    return false;
  }
}

/** `String(value)`, or `<unreadable: ...>` when converting it throws (a throwing toString, a null-prototype object, a revoked Proxy). */
export function safeString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'symbol') return symbolToString.call(value);
  try {
    return String(value);
  } catch (err) {
    return unreadable(err);
  }
}

/** `value[key]` as text (safeString), or `<unreadable: ...>` when reading it throws. */
export function propertyText(value: object, key: string): string {
  let v: unknown;
  try {
    v = (value as Record<string, unknown>)[key];
  } catch (err) {
    return unreadable(err);
  }
  return safeString(v);
}

/** An error as `Name: message` (just the name when the message is empty); any other value as safeString. */
export function errorSummary(e: unknown): string {
  if (!isInstance(e, Error)) return safeString(e);
  const name = propertyText(e as object, 'name');
  const message = propertyText(e as object, 'message');
  return message ? `${name}: ${message}` : name;
}

/** What the loop prints for an exception: an Error's stack (when it is readable text), else errorSummary. */
export function exceptionText(e: unknown): string {
  if (isInstance(e, Error)) {
    try {
      const stack = (e as Error).stack;
      if (typeof stack === 'string' && stack) return stack;
    } catch {
      // A stack getter that throws: the summary says what it is.
    }
  }
  return errorSummary(e);
}

/** A function's name, or 'anonymous' when it has none or reading it throws (a static `name` getter). */
export function functionName(fn: unknown): string {
  try {
    const name = (fn as { name?: unknown }).name;
    return typeof name === 'string' && name ? name : 'anonymous';
  } catch {
    return 'anonymous';
  }
}

/** `<unreadable: TypeError: Cannot convert object to primitive value>`: what reading a value threw, read one level only. */
export function unreadable(thrown: unknown): string {
  return `<unreadable: ${thrownText(thrown)}>`;
}

/** What a read threw, without reading anything that could throw again (no recursion into unreadable). */
function thrownText(thrown: unknown): string {
  if (typeof thrown === 'string') return thrown;
  if (typeof thrown === 'symbol') return symbolToString.call(thrown);
  if (thrown === null || (typeof thrown !== 'object' && typeof thrown !== 'function')) return String(thrown);
  try {
    if (thrown instanceof Error) {
      const name = thrown.name;
      const message = thrown.message;
      if (typeof name === 'string' && typeof message === 'string') return message ? `${name}: ${message}` : name;
    }
  } catch {
    // Fall through: the read error is itself hostile.
  }
  return 'reading it threw';
}
