/**
 * A map from task ids to small integers that costs one typed-array read per look-up: the runtime
 * numbers tasks 1, 2, 3..., so a dense Int32Array indexed by id fits, where a Map would hash (and,
 * at a million look-ups a frame, show up in profiles). Ids too large for the table use a Map.
 */
const DENSE_LIMIT = 1 << 24;

export class IdIndex {
  private dense = new Int32Array(1024).fill(-1);
  private sparse = new Map<number, number>();

  /** The value for `id`, or -1. */
  get(id: number): number {
    if (id >= 0 && id < this.dense.length) return this.dense[id];
    return this.sparse.get(id) ?? -1;
  }

  set(id: number, value: number): void {
    if (id >= 0 && id < DENSE_LIMIT && Number.isInteger(id)) {
      if (id >= this.dense.length) {
        let size = this.dense.length;
        while (size <= id) size *= 2;
        const grown = new Int32Array(Math.min(size, DENSE_LIMIT)).fill(-1);
        grown.set(this.dense);
        this.dense = grown;
      }
      this.dense[id] = value;
    } else this.sparse.set(id, value);
  }

  /** The dense table (-1: none) for hot loops; ids at or beyond its length go through get(). */
  get table(): Int32Array {
    return this.dense;
  }

  clear(): void {
    this.dense = new Int32Array(1024).fill(-1);
    this.sparse.clear();
  }
}
