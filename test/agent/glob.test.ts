// Task-name globs (`*`: any run of characters, everything else literal), matched in linear time.
import { describe, it, expect } from 'vitest';
import { globMatch } from '../../runtime/src/protocol/glob';

/** The obvious definition, by recursion with memo (quadratic, fine for short strings): the reference. */
function reference(pattern: string, name: string): boolean {
  const memo = new Map<string, boolean>();
  const go = (p: number, n: number): boolean => {
    const key = `${p},${n}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let r: boolean;
    if (p === pattern.length) r = n === name.length;
    else if (pattern[p] === '*') r = go(p + 1, n) || (n < name.length && go(p, n + 1));
    else r = n < name.length && pattern[p] === name[n] && go(p + 1, n + 1);
    memo.set(key, r);
    return r;
  };
  return go(0, 0);
}

describe('globMatch', () => {
  it('matches as the protocol says', () => {
    const cases: [string, string, boolean][] = [
      ['worker-*', 'worker-1', true],
      ['worker-*', 'worker-', true],
      ['worker-*', 'a-worker-1', false],
      ['*-1', 'worker-1', true],
      ['*', '', true],
      ['', '', true],
      ['', 'x', false],
      ['a*b*c', 'abc', true],
      ['a*b*c', 'aXbYc', true],
      ['a*b*c', 'aXbYcZ', false],
      ['**', 'anything', true],
      ['fetch.?', 'fetch.?', true],
      ['fetch.?', 'fetchX?', false],
      ['(x)[y]', '(x)[y]', true],
      ['*ab', 'aab', true],
      ['*aab', 'aaab', true],
      ['a*a', 'a', false],
      ['Symbol(*)', 'Symbol(sym)', true],
    ];
    for (const [pattern, name, want] of cases) expect([pattern, name, globMatch(pattern, name)]).toEqual([pattern, name, want]);
  });

  it('agrees with the reference on every short pattern and name over a small alphabet', () => {
    // Exhaustive over patterns of up to 5 characters from {a, b, *} and names of up to 6 from {a, b}.
    const strings = (alphabet: string[], max: number): string[] => {
      const out = [''];
      for (let len = 1, level = ['']; len <= max; len++) {
        level = level.flatMap((s) => alphabet.map((c) => s + c));
        out.push(...level);
      }
      return out;
    };
    const patterns = strings(['a', 'b', '*'], 5);
    const names = strings(['a', 'b'], 6);
    let compared = 0;
    for (const p of patterns)
      for (const n of names) {
        if (globMatch(p, n) !== reference(p, n)) throw new Error(`globMatch(${JSON.stringify(p)}, ${JSON.stringify(n)}) disagrees with the reference`);
        compared++;
      }
    expect(compared).toBe(patterns.length * names.length);
  });

  it('compares at most pattern x name characters on the pattern a backtracking RegExp takes exponential time on', () => {
    // Counted, not timed: the characters compared, through a name whose every read is counted.
    const pattern = '*a'.repeat(14) + '*b';
    let reads = 0;
    const name = 'a'.repeat(49) + 'c';
    const counted = new Proxy(new String(name), {
      get(target, key) {
        if (key === 'charCodeAt') return (i: number) => (reads++, name.charCodeAt(i));
        if (key === 'length') return name.length;
        return Reflect.get(target, key);
      },
    }) as unknown as string;
    expect(globMatch(pattern, counted)).toBe(false);
    // Each `*` retry advances the name by one; the matcher compares at most pattern x name characters.
    expect(reads).toBeLessThanOrEqual(pattern.length * name.length);
  });
});
