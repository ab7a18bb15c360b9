/** What a view may ask of the panel: select a task (telling the host), reveal a source location, cancel a task, save state. */
import type { Frame } from '../../../runtime/src/protocol/wire';

export interface Actions {
  /** The user selected a task in this panel: highlight it everywhere and tell the host. */
  selectTask(taskId: number): void;
  /** Open a source location in the editor. */
  reveal(frame: Frame): void;
  /** Ask the host to cancel a task (it confirms and sends the command to the runtime). */
  cancelTask(taskId: number): void;
  /** Something persisted changed (view, selection, viewport, filter). */
  stateChanged(): void;
}
