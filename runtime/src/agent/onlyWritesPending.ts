/**
 * Whether nothing but pending writes keeps this process alive, from process.getActiveResourcesInfo().
 * That list names the handles of stdout and stderr when they are pipes or terminals although they keep
 * nothing alive by themselves (a write pending on them is listed as a write request of its own), so
 * one such handle per stream is discounted. A stdin being read is a third one, and keeps the answer no.
 */

/** What the list calls pending writes. */
const WRITE_REQUESTS = new Set(['WriteWrap', 'SimpleWriteWrap', 'ShutdownWrap']);

/** The handle type stdout or stderr shows in the list, if any. */
function stdioHandle(stream: NodeJS.WriteStream): string | null {
  const type = (stream as unknown as { _type?: string })._type;
  return type === 'pipe' ? 'PipeWrap' : type === 'tty' ? 'TTYWrap' : null;
}

export function onlyWritesPending(resources: readonly string[] = process.getActiveResourcesInfo()): boolean {
  const discount = new Map<string, number>();
  for (const stream of [process.stdout, process.stderr]) {
    const h = stdioHandle(stream);
    if (h !== null) discount.set(h, (discount.get(h) ?? 0) + 1);
  }
  for (const r of resources) {
    if (WRITE_REQUESTS.has(r)) continue;
    const left = discount.get(r) ?? 0;
    if (left === 0) return false;
    discount.set(r, left - 1);
  }
  return true;
}
