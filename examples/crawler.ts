// A web crawler (simulated network): a Queue of URLs feeds N workers inside a TaskGroup; each
// request has its own timeout. Loopscope shows the workers on `Queue.get` or mid-request, the
// timeouts firing, and the group finishing when the queue drains.
import { run, sleep, Queue, taskGroup, waitFor, TimeoutError, type Coroutine } from 'loopscope';

const WORKERS = Number(process.env.WORKERS ?? 4);
const PAGES = Number(process.env.PAGES ?? 40);
const TIMEOUT_MS = 120;

const frontier = new Queue<string>(0, { name: 'frontier' });
const seen = new Set<string>();
const results = { fetched: 0, timedOut: 0 };

/** A fake HTTP GET: latency depends on the URL; every 7th page is slow enough to time out. */
function* fetchPage(url: string): Coroutine<string[]> {
  const n = Number(url.split('/').pop());
  const latency = n % 7 === 0 ? 500 : 20 + (n % 5) * 15;
  yield* sleep(latency); // the request in flight
  const links = [2 * n, 2 * n + 1].filter((k) => k <= PAGES).map((k) => `https://example.test/page/${k}`);
  return links;
}

function* worker(id: number): Coroutine<void> {
  for (;;) {
    const url = yield* frontier.get();
    try {
      const links = yield* waitFor(fetchPage(url), TIMEOUT_MS);
      results.fetched++;
      for (const link of links) {
        if (!seen.has(link)) {
          seen.add(link);
          frontier.putNowait(link);
        }
      }
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
      results.timedOut++;
      console.log(`worker-${id}: ${url} timed out`);
    } finally {
      frontier.taskDone();
    }
  }
}

function* main(): Coroutine<void> {
  const start = 'https://example.test/page/1';
  seen.add(start);
  frontier.putNowait(start);
  yield* taskGroup(function* (tg) {
    const workers = Array.from({ length: WORKERS }, (_, i) => tg.createTask(worker(i + 1), { name: `worker-${i + 1}` }));
    yield* frontier.join(); // every discovered page handled
    for (const w of workers) w.cancel('crawl finished');
  });
  console.log(`fetched ${results.fetched} pages, ${results.timedOut} timed out`);
}

run(main());
