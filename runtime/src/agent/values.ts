/**
 * Short, bounded text forms of program values for the wire (a task's result, an error). Never
 * calls user code that could be slow or unbounded (no JSON.stringify of whole objects, no
 * toString() of arbitrary objects): a task's result may be a million-element array. Never throws
 * either (these run inside the runtime's hooks): a value that throws when read (a getter, a Proxy's
 * trap, a revoked Proxy) shows as `<unreadable: ...>` (safeText.ts).
 */
import { types } from 'node:util';
import type { ErrorInfo } from '../protocol/wire';
import { errorSummary, functionName, isInstance, propertyText, safeString, unreadable } from '../safeText';

const { isProxy } = types;

const MAX_TEXT = 200;
const MAX_STACK = 8192;
const MAX_ENTRIES = 5;

function clip(s: string, max = MAX_TEXT): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}

function ctorName(o: object): string {
  const p = Object.getPrototypeOf(o);
  const c = p && Object.prototype.hasOwnProperty.call(p, 'constructor') ? p.constructor : null;
  return typeof c === 'function' && c.name ? c.name : p === null ? '[Object: null prototype]' : 'Object';
}

function inner(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(clip(v, 40));
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(v);
    case 'bigint':
      return `${v}n`;
    case 'symbol':
      return v.toString();
    case 'function':
      return `[Function ${functionName(v)}]`;
    default:
      if (v === null) return 'null';
      if (Array.isArray(v)) return `Array(${v.length})`;
      return ctorName(v as object) === 'Object' ? '{…}' : ctorName(v as object);
  }
}

/** A one-line preview: `42`, `"text"`, `[1, 2, 3, … 997 more]`, `{ id: 3, name: "a" }`, `Map(12)`. */
export function previewValue(v: unknown): string {
  try {
    if (typeof v !== 'object' || v === null) return clip(inner(v));
    if (Array.isArray(v)) {
      const items = v.slice(0, MAX_ENTRIES).map(inner);
      if (v.length > MAX_ENTRIES) items.push(`… ${v.length - MAX_ENTRIES} more`);
      return clip(`[${items.join(', ')}]`);
    }
    if (v instanceof Map || v instanceof Set) return `${ctorName(v)}(${v.size})`;
    if (v instanceof Error) return clip(errorSummary(v));
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'Invalid Date' : v.toISOString();
    const name = ctorName(v);
    const keys = Object.keys(v);
    const parts = keys.slice(0, MAX_ENTRIES).map((k) => `${k}: ${inner((v as Record<string, unknown>)[k])}`);
    if (keys.length > MAX_ENTRIES) parts.push(`… ${keys.length - MAX_ENTRIES} more`);
    return clip(`${name === 'Object' ? '' : name + ' '}{ ${parts.join(', ')} }`);
  } catch (err) {
    // A getter or proxy that throws: say what it is without touching it again.
    return clip(unreadable(err));
  }
}

/**
 * A name the program gave a resource, as the wire's text. Usually a string; a JavaScript program may
 * pass a number, a Symbol, a BigInt or an object (JSON.stringify threw on a BigInt name and crashed
 * the program under the debugger): an object is previewed, so its own code (toString, toJSON) never runs.
 */
export function nameText(v: unknown): string {
  if (typeof v === 'string') return v;
  return (typeof v === 'object' && v !== null) || typeof v === 'function' ? previewValue(v) : safeString(v);
}

/** An exception in one bounded line, `TypeError: boom` (a stop's description). */
export function errorText(e: unknown): string {
  // Not String() of a thrown plain object: that would run its toString.
  return isInstance(e, Error) ? clip(errorSummary(e), 2000) : previewValue(e);
}

/** An exception as the debugger shows it (bounded). */
export function errorInfo(e: unknown): ErrorInfo {
  if (isInstance(e, Error)) {
    const info: ErrorInfo = { name: clip(propertyText(e, 'name')), message: clip(propertyText(e, 'message'), 2000) };
    try {
      const stack = e.stack;
      if (typeof stack === 'string') info.stack = clip(stack, MAX_STACK);
    } catch {
      /* a stack getter that throws: leave it out */
    }
    return info;
  }
  let name: string;
  try {
    name = typeof e === 'object' && e !== null ? ctorName(e) : typeof e;
  } catch {
    name = isProxy(e) ? 'Proxy' : 'object'; // a revoked Proxy (or a throwing trap) has no prototype to read
  }
  return { name, message: previewValue(e) };
}
