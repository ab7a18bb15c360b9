/**
 * The webview's side of VS Code: the one `acquireVsCodeApi()` object (it may be acquired only
 * once per page), typed with the messages and the persisted state.
 */
import type { PersistedState, WebviewToHost } from './messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface Host {
  post(message: WebviewToHost): void;
  /** The state saved by an earlier load of this panel, if it is well-formed. */
  loadState(): PersistedState | undefined;
  saveState(state: PersistedState): void;
}

export function connectHost(): Host {
  if (typeof acquireVsCodeApi !== 'function') throw new Error('Task Inspector: acquireVsCodeApi is missing (the page must run inside a VS Code webview, or a harness that provides it)');
  const api = acquireVsCodeApi();
  return {
    post: (m) => api.postMessage(m),
    loadState: () => parseState(api.getState()),
    saveState: (s) => api.setState(s),
  };
}

const VIEWS = new Set<PersistedState['view']>(['graph', 'timeline', 'exceptions']);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Reads a saved state defensively: an older or damaged one yields defaults for the parts that do not fit. */
export function parseState(raw: unknown): PersistedState | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const t = (typeof r.timeline === 'object' && r.timeline !== null ? r.timeline : {}) as Record<string, unknown>;
  return {
    view: VIEWS.has(r.view as PersistedState['view']) ? (r.view as PersistedState['view']) : 'graph',
    selectedTaskId: isNum(r.selectedTaskId) ? r.selectedTaskId : null,
    timeline: {
      start: isNum(t.start) ? t.start : 0,
      msPerPx: isNum(t.msPerPx) && t.msPerPx > 0 ? t.msPerPx : 0,
      follow: typeof t.follow === 'boolean' ? t.follow : true,
    },
    filter: typeof r.filter === 'string' ? r.filter : '',
  };
}
