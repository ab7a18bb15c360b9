/**
 * The agent's text forms of program values run inside the runtime's hooks: they must never throw,
 * whatever the program threw or returned (before, an Error whose message is a null-prototype object
 * made errorInfo throw, and the program crashed under the CLI and the adapter, not alone).
 */
import { describe, expect, it } from 'vitest';
import { errorInfo, errorText, nameText, previewValue } from '../../runtime/src/agent/values';
import { errorSummary, exceptionText, safeString } from '../../runtime/src/safeText';

function throwing(key: string): PropertyDescriptor {
  return {
    get() {
      throw new Error(`no ${key}`);
    },
  };
}

/** Values that throw on every way of reading them, each made fresh. */
const HOSTILE: Record<string, () => unknown> = {
  'error whose name, message, stack and toString throw': () => {
    const e = new Error('hidden');
    // 'stack' first: defining it formats V8's lazy stack, which reads name and message.
    for (const key of ['stack', 'name', 'message', 'toString']) Object.defineProperty(e, key, throwing(key));
    return e;
  },
  'error whose message is a null-prototype object': () => {
    const e = new Error('x');
    Object.defineProperty(e, 'message', { value: Object.create(null) });
    return e;
  },
  'null-prototype object': () => Object.create(null),
  'object whose toString and valueOf throw': () => ({ toString: throwing('toString').get, valueOf: throwing('valueOf').get }),
  'proxy whose every trap throws': () =>
    new Proxy(new Error('p'), {
      get: throwing('get').get,
      getPrototypeOf: throwing('getPrototypeOf').get,
      ownKeys: throwing('ownKeys').get,
      has: throwing('has').get,
      getOwnPropertyDescriptor: throwing('getOwnPropertyDescriptor').get,
    }),
  'revoked proxy': () => {
    const r = Proxy.revocable({}, {});
    r.revoke();
    return r.proxy;
  },
  'class whose static name throws': () =>
    class {
      static get name(): string {
        throw new Error('no name');
      }
    },
  'array with a throwing element getter': () => Object.defineProperty([1, 2], 0, throwing('0')),
};

describe.each(Object.entries(HOSTILE))('%s', (_kind, make) => {
  it('errorInfo, errorText and previewValue give bounded text and never throw', () => {
    const info = errorInfo(make());
    expect(typeof info.name).toBe('string');
    expect(typeof info.message).toBe('string');
    expect(info.message.length).toBeLessThanOrEqual(2000);
    expect(typeof errorText(make())).toBe('string');
    expect(previewValue(make()).length).toBeLessThanOrEqual(200);
  });

  it('safeString, errorSummary and exceptionText (the loop’s messages) never throw', () => {
    expect(typeof safeString(make())).toBe('string');
    expect(typeof errorSummary(make())).toBe('string');
    expect(typeof exceptionText(make())).toBe('string');
  });
});

describe('what unreadable values show', () => {
  it('a part that throws when read is <unreadable: what it threw>, the rest as usual', () => {
    const info = errorInfo(HOSTILE['error whose message is a null-prototype object']());
    expect(info).toMatchObject({ name: 'Error', message: '<unreadable: TypeError: Cannot convert object to primitive value>' });
    expect(errorInfo(HOSTILE['error whose name, message, stack and toString throw']())).toMatchObject({
      name: '<unreadable: Error: no name>',
      message: '<unreadable: Error: no message>',
    });
  });

  it('a revoked proxy is a Proxy whose contents cannot be read', () => {
    const info = errorInfo(HOSTILE['revoked proxy']());
    expect(info.name).toBe('Proxy');
    expect(info.message).toMatch(/^<unreadable: TypeError: .*revoked>$/);
  });

  it('thrown primitives read as themselves', () => {
    expect(errorInfo(null)).toEqual({ name: 'object', message: 'null' });
    expect(errorInfo(0)).toEqual({ name: 'number', message: '0' });
    expect(errorInfo(Symbol('s'))).toEqual({ name: 'symbol', message: 'Symbol(s)' });
    expect(errorText(undefined)).toBe('undefined');
    expect(safeString(Symbol('s'))).toBe('Symbol(s)');
  });

  it('a plain object thrown is previewed, its toString not called', () => {
    let called = false;
    const e = {
      code: 7,
      toString() {
        called = true;
        return 'x';
      },
    };
    expect(errorText(e)).toBe('{ code: 7, toString: [Function toString] }');
    expect(called).toBe(false);
  });
});

describe('nameText (a resource name on the wire)', () => {
  it('is text for a name of any type, without running the name’s own code', () => {
    expect(nameText('db')).toBe('db');
    expect(nameText(42)).toBe('42');
    expect(nameText(10n)).toBe('10');
    expect(nameText(Symbol('s'))).toBe('Symbol(s)');
    expect(nameText({ toJSON: throwing('toJSON').get, toString: throwing('toString').get })).toMatch(/^\{ toJSON: \[Function/);
    expect(nameText(HOSTILE['revoked proxy']())).toMatch(/^<unreadable: /);
    expect(() => JSON.stringify({ name: nameText(10n) })).not.toThrow();
  });
});
