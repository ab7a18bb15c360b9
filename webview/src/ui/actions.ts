/** What a view may ask of the panel: select a task (telling the host), reveal a source location, save state. */
import type { Frame } from '../../../runtime/src/protocol/wire';

export interface Actions {
  /** The user selected a task in this panel: highlight it everywhere and tell the host. */
  selectTask(taskId: number): void;
  /** Open a source location in the editor. */
  reveal(frame: Frame): void;
  /** Something persisted changed (view, selection, viewport, filter). */
  stateChanged(): void;
}
