// An instrument that implements every hook and does nothing: the cost of the dispatch alone.
const HOOKS = [
  'loopStarted',
  'loopClosed',
  'taskCreated',
  'taskScheduled',
  'beforeTaskStep',
  'suspending',
  'resuming',
  'afterTaskStep',
  'taskDone',
  'beforeIdle',
  'afterIdle',
  'unretrievedException',
];

/** @returns {import('../runtime/src/index').Instrument & { calls: number }} */
export function noopInstrument() {
  const instrument = { calls: 0 };
  // Each hook counts its calls, so the benchmark can prove the hooks ran (a counter is the least a hook can do).
  for (const name of HOOKS) instrument[name] = function () {
    this.calls++;
  };
  return instrument;
}

export const HOOK_NAMES = HOOKS;
