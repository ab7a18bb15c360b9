// The browser test harness's stand-in for VS Code's webview host, loaded before dist/webview/main.js.
// It provides acquireVsCodeApi() the way VS Code does (once per page; getState/setState kept in
// sessionStorage so they survive a reload, as VS Code keeps them for a restored panel), records what
// the page posts, delivers host messages as 'message' events, and records CSP violations and errors.
// Plain JavaScript: it is served as is, no build step.
(function () {
  'use strict';
  const STATE_KEY = 'loopscope-harness-state';
  const harness = {
    /** Messages the page posted to the host, in order. */
    posted: [],
    /** Content-Security-Policy violations the page caused. */
    cspViolations: [],
    /** Uncaught errors. */
    errors: [],
    /** Delivers a host -> webview message, as VS Code's postMessage does. */
    send(message) {
      window.dispatchEvent(new MessageEvent('message', { data: message }));
    },
    sendAll(messages) {
      for (const m of messages) harness.send(m);
    },
    /**
     * A synthetic session streamed as the runtime would: `tasks` tasks taking turns in steps over
     * `events` timeline events (resumed/suspended pairs, plus created/done at each task's ends), in
     * deltas of `batch` events. Step lengths vary (seeded, so every run draws the same picture).
     * Returns what was sent, for the test's arithmetic.
     */
    syntheticTimeline({ tasks = 100, events = 1_000_000, batch = 20_000, start = 1000, seed = 7 } = {}) {
      let s = seed >>> 0;
      const rand = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 4294967296);
      const records = [];
      for (let id = 1; id <= tasks; id++) {
        records.push({ id, name: `worker-${id}`, state: 'suspended', parentId: 0, since: start, steps: 0, cancelling: 0, awaiting: { kind: 'sleep', deadline: start + 1 } });
      }
      harness.send({ type: 'snapshot', snapshot: { type: 'snapshot', seq: 1, time: start, loop: { id: 1, clock: 'real', paused: false }, tasks: records, resources: [] } });
      let t = start;
      let seq = 1;
      let sent = 0;
      let pending = [];
      const flush = () => {
        if (pending.length === 0) return;
        harness.send({ type: 'delta', delta: { type: 'delta', seq: ++seq, time: t, tasks: [], events: pending } });
        pending = [];
      };
      const push = (e) => {
        pending.push(e);
        sent++;
        if (pending.length >= batch) flush();
      };
      for (let id = 1; id <= tasks; id++) push([0, id, t]);
      while (sent + 2 <= events) {
        const id = 1 + Math.floor(rand() * tasks);
        t += rand() * 0.02; // gap: the loop picks the next task
        push([2, id, t]);
        t += 0.005 + rand() * 0.05; // the step runs
        push([3, id, t]);
      }
      flush();
      return { tasks, events: sent, start, end: t };
    },
    /**
     * A snapshot of a big program: a main task gathering `tasks` workers (half sleeping, half on
     * Queue.get of `jobs`), and two more tasks deadlocked on two locks. Returns the deadlocked ids.
     */
    syntheticTasks({ tasks = 100_000 } = {}) {
      const task = (id, name, awaiting) => ({ id, name, state: 'suspended', parentId: id === 1 ? 0 : 1, since: 0, steps: 1, cancelling: 0, awaiting });
      const workers = Array.from({ length: tasks }, (_, i) => i + 2);
      const records = [task(1, 'main', { kind: 'gather', taskIds: workers })];
      for (const id of workers) records.push(task(id, `worker-${id}`, id % 2 ? { kind: 'sleep', deadline: 5000 } : { kind: 'queue.get', resourceId: 1, size: 0, maxsize: 0 }));
      const a = tasks + 2;
      const b = tasks + 3;
      records.push(task(a, 'transfer-a', { kind: 'lock', resourceId: 2, holderId: b, position: 0 }));
      records.push(task(b, 'transfer-b', { kind: 'lock', resourceId: 3, holderId: a, position: 0 }));
      const resources = [
        { id: 1, kind: 'queue', name: 'jobs', size: 0, maxsize: 0, waiterIds: workers.filter((id) => id % 2 === 0) },
        { id: 2, kind: 'lock', name: 'ledger', holderId: b, waiterIds: [a] },
        { id: 3, kind: 'lock', name: 'accounts', holderId: a, waiterIds: [b] },
      ];
      harness.send({ type: 'snapshot', snapshot: { type: 'snapshot', seq: 1, time: 100, loop: { id: 1, clock: 'real', paused: false }, tasks: records, resources } });
      return { a, b };
    },
    /** The state setState last saved (what VS Code would keep). */
    savedState() {
      const s = sessionStorage.getItem(STATE_KEY);
      return s === null ? undefined : JSON.parse(s);
    },
  };
  window.__harness = harness;
  document.addEventListener('securitypolicyviolation', (e) => harness.cspViolations.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample }));
  window.addEventListener('error', (e) => harness.errors.push(String(e.message)));
  window.addEventListener('unhandledrejection', (e) => harness.errors.push(String(e.reason)));
  document.body.classList.add('vscode-dark');
  document.body.dataset.vscodeThemeKind = 'vscode-dark';

  let acquired = false;
  window.acquireVsCodeApi = function () {
    if (acquired) throw new Error('An instance of the VS Code API has already been acquired');
    acquired = true;
    return Object.freeze({
      postMessage(message) {
        // Structured like VS Code's channel: what arrives is a copy.
        harness.posted.push(JSON.parse(JSON.stringify(message)));
      },
      getState() {
        return harness.savedState();
      },
      setState(state) {
        sessionStorage.setItem(STATE_KEY, JSON.stringify(state));
        return state;
      },
    });
  };
})();
