/**
 * What transformed modules and the runtime share: one object on globalThis, under a registered
 * symbol, so that every copy of the runtime (ESM and CJS builds) and every transformed module
 * agree on it, whichever of them loads first.
 *
 * The object is made by the first transformed module to run (BOOT below is in its header), or by
 * the runtime when it looks for it. Its helpers are what the transform calls:
 *   d()          a coroutine frame's depth in its task's await chain, read as the frame starts;
 *   a(x, s, d)   at a `yield*`/`yield` (x already evaluated): site s at depth d in the running task;
 *   m(x, s, d)   before a task-creating call (x is its last argument): the next task is created at s;
 *   f(x, s, n)   after a call whose value is discarded (`worker(1);`, `void worker(1)`): when x is a
 *                generator object (a coroutine never awaited, as asyncio's "coroutine 'worker' was
 *                never awaited"), its site s and the called name n go into `g`, a ring of the last
 *                NEVER_AWAITED_KEPT (site, name) pairs; `gn` counts them all. Anything else costs a
 *                typeof. A generator is an object with %GeneratorPrototype% on its prototype chain,
 *                asked with isPrototypeOf bound at start-up: no getter of the value runs (a Proxy's
 *                getPrototypeOf trap does; one that throws is let be). Walking the chain with two
 *                getPrototypeOf calls cost 3x more (`m.set(k, v);` in a hot loop: +35 ns a call
 *                against +10-13 ns; a call returning undefined: +1-2 ns).
 * A task's sites start as a 4-slot array: an empty one would grow to 17 slots at its first write.
 * `reg(file, packed, count)` reserves `count` site ids for a module and keeps its table unparsed
 * until the debugger needs a site. `loop` is the running loop (set by the runtime's running.ts).
 */
export const SITES_KEY = 'loopscope.sites';
export const RUNNING_KEY = 'loopscope.runningLoop';
/** How many never-awaited coroutines the shared object keeps (the last ones; `gn` counts all). */
export const NEVER_AWAITED_KEPT = 1000;

/**
 * The object's source, as one expression. Written in plain ES5 but for one `function*` (the way to
 * reach %GeneratorPrototype%; every transformed module has generators anyway), as it is pasted into
 * every transformed module's header; kept small, and free of anything a user's code could have
 * replaced.
 */
export const BOOT =
  '(function(){var G=globalThis,K=Symbol.for(' + JSON.stringify(SITES_KEY) + '),IG=Object.prototype.isPrototypeOf.bind(Object.getPrototypeOf(function*(){}).prototype);' +
  'var o=G[K]||(G[K]={v:1,n:0,q:[],loop:G[Symbol.for(' + JSON.stringify(RUNNING_KEY) + ')]||null,c:-1,ct:null,cs:0,cd:-1,' +
  'reg:function(f,p,c){var b=this.n;this.n+=c;this.q.push(b,f,p);return b},' +
  'd:function(){var l=this.loop;if(l!==null){var t=l._currentTask;if(t!==null&&t!==undefined)return t._depth|0}return 0},' +
  'a:function(x,s,d){var l=this.loop;if(l!==null){var t=l._currentTask;if(t!==null&&t!==undefined){var k=t._sites;if(k===null||k===undefined)k=t._sites=new Array(4);k[d]=s;t._depth=d+1}}return x},' +
  'm:function(x,s,d){var l=this.loop,t=l!==null?l._currentTask:null;this.c=s;this.cd=d;this.ct=t===undefined?null:t;this.cs=t?t._steps:0;return x}});' +
  // Added apart, to an object an older copy of the runtime made first too (it had no f).
  'if(o.f===undefined){o.g=[];o.gn=0;' +
  'o.f=function(x,s,n){if(typeof x===\'object\'&&x!==null){try{if(IG(x)){var i=this.gn++%' + NEVER_AWAITED_KEPT + '*2;this.g[i]=s;this.g[i+1]=n}}catch(e){}}return x}}' +
  'return o})()';

/** The shared object's shape, as the runtime reads it. */
export interface SitesGlobal {
  v: number;
  n: number;
  /** [base, file, packed JSON, base, file, packed JSON, …] in registration order. */
  q: (number | string)[];
  loop: unknown;
  /** The last creation mark: its site, the task that was running and its step, the frame's depth (-1: not in a coroutine). */
  c: number;
  ct: unknown;
  cs: number;
  cd: number;
  /** Never-awaited coroutines: [site, name, site, name, …], a ring of NEVER_AWAITED_KEPT pairs; the k-th (from 0) is at 2 * (k % NEVER_AWAITED_KEPT). */
  g: (number | string)[];
  /** How many never-awaited coroutines were seen in all. */
  gn: number;
}
