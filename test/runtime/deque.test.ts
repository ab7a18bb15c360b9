/** The ring buffer behind the ready queue and the primitives' waiter lists, against an Array model. */
import { describe, it, expect } from 'vitest';
import { Deque } from '../../runtime/src/deque';

describe('Deque', () => {
  it('matches an array under pushes, shifts and removals, across wrap-around and growth', () => {
    const d = new Deque<number>(4);
    const model: number[] = [];
    // A fixed pseudo-random sequence (MINSTD) of operations, so a failure is reproducible.
    let x = 7;
    const rand = (n: number) => (x = (x * 48271) % 2147483647) % n;
    for (let step = 0; step < 5000; step++) {
      const op = rand(10);
      if (op < 5) {
        d.push(step);
        model.push(step);
      } else if (op < 8) {
        expect(d.shift()).toBe(model.shift());
      } else if (model.length > 0) {
        // Remove one that is there (anywhere), or one that is not.
        const v = op === 8 ? model[rand(model.length)] : -1;
        const i = model.indexOf(v);
        expect(d.remove(v)).toBe(i >= 0);
        if (i >= 0) model.splice(i, 1);
      }
      expect(d.length).toBe(model.length);
      expect(d.peek()).toBe(model[0]);
      expect(d.at(model.length - 1)).toBe(model[model.length - 1]);
    }
    expect(d.toArray()).toEqual(model);
    expect([...d]).toEqual(model);
    expect(d.at(-1)).toBeUndefined();
    expect(d.at(model.length)).toBeUndefined();
  });
});
