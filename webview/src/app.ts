/**
 * The Task Inspector page: the status banner, the tab bar and the three views over one model,
 * the messages to the host (ready, reveal, selectTask, cancelTask, the tab shown), and the state kept
 * across reloads.
 */
import type { Frame } from '../../runtime/src/protocol/wire';
import type { HostToWebview, PersistedState } from './messages';
import { InspectorModel } from './model/inspectorModel';
import { GraphView } from './graph/graphView';
import { TimelineView } from './timeline/timelineView';
import { ExceptionsView } from './exceptions/exceptionsView';
import { Banner } from './ui/banner';
import { Tabs, type ViewName } from './ui/tabs';
import { el } from './ui/dom';
import type { Actions } from './ui/actions';
import type { Host } from './vscodeApi';

const SAVE_DELAY_MS = 150;

export const DEFAULT_STATE: PersistedState = { view: 'graph', selectedTaskId: null, timeline: { start: 0, msPerPx: 0, follow: true }, filter: '' };

export interface AppOptions {
  /** Timeline events kept at most (see EventStore). */
  eventCapacity?: number;
}

export class App implements Actions {
  readonly model: InspectorModel;
  private readonly graph: GraphView;
  private readonly timeline: TimelineView;
  private readonly exceptions: ExceptionsView;
  private readonly tabs: Tabs;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    mount: HTMLElement,
    private readonly host: Host,
    saved: PersistedState | undefined,
    options: AppOptions = {},
  ) {
    const state = saved ?? DEFAULT_STATE;
    this.model = new InspectorModel({ eventCapacity: options.eventCapacity });
    this.model.selectedTaskId = state.selectedTaskId;
    this.graph = new GraphView(this.model, this, state.filter);
    this.timeline = new TimelineView(this.model, this, state.timeline);
    this.exceptions = new ExceptionsView(this.model, this);
    const banner = new Banner(this.model);
    const panels = { graph: this.graph, timeline: this.timeline, exceptions: this.exceptions };
    this.tabs = new Tabs(
      [
        { name: 'graph', label: 'Await graph', icon: 'type-hierarchy', panel: this.graph.root },
        { name: 'timeline', label: 'Timeline', icon: 'graph-line', panel: this.timeline.root },
        { name: 'exceptions', label: 'Exceptions', icon: 'error', panel: this.exceptions.root },
      ],
      state.view,
      (name) => {
        this.show(name, panels);
        this.stateChanged();
      },
    );
    mount.append(banner.root, this.tabs.root, el('main', { class: 'views' }, this.graph.root, this.timeline.root, this.exceptions.root));
    this.show(state.view, panels);
    this.model.onChange((c) => {
      if (c.reset || c.tasks) this.tabs.setBadge('exceptions', this.model.exceptions.length + this.model.exceptionsDropped);
      if (c.selection) this.stateChanged();
    });
  }

  private show(name: ViewName, panels: Record<ViewName, { setVisible(v: boolean): void }>): void {
    for (const [k, v] of Object.entries(panels)) v.setVisible(k === name);
    // The host has the session record the timeline only while its tab shows.
    this.host.post({ type: 'view', view: name });
  }

  /** A message from the host. */
  receive(data: unknown): void {
    if (typeof data !== 'object' || data === null || typeof (data as { type?: unknown }).type !== 'string') {
      console.warn('Task Inspector: ignoring a message that is not an object with a type', data);
      return;
    }
    this.model.apply(data as HostToWebview);
  }

  // ------------------------------------------------------------ Actions

  selectTask(taskId: number): void {
    this.model.select(taskId);
    this.host.post({ type: 'selectTask', taskId });
  }

  reveal(frame: Frame): void {
    this.host.post({ type: 'reveal', frame });
  }

  cancelTask(taskId: number): void {
    this.host.post({ type: 'cancelTask', taskId });
  }

  stateChanged(): void {
    if (this.saveTimer !== null) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = null;
      this.host.saveState(this.state());
    }, SAVE_DELAY_MS);
  }

  state(): PersistedState {
    return { view: this.tabs.current, selectedTaskId: this.model.selectedTaskId, timeline: this.timeline.viewport.state, filter: this.graph.filter };
  }
}
