/**
 * The one function of the runtime a JavaScript debugger must not skip, alone in its folder so that a
 * debugger's skip list can name every other folder of the runtime (adapter/src/launcher.ts,
 * jsDebugSkipFiles). V8 ignores a `debugger` statement in skipped (blackboxed) code, so this frame
 * stays: it is the top of the JavaScript debugger's stack at a Loopscope stop, every runtime frame
 * between it and the user's coroutine is skipped, and the coroutine's frames come next.
 */
import * as inspector from 'node:inspector';

/** Stops a JavaScript debugger (if one is attached) in this frame, with the task's coroutine frames below it. */
export function breakIntoJsDebugger(stop: { task: string; why: string }): void {
  if (!inspector.url()) return;
  // Loopscope stopped the task `stop.task` (`stop.why`). The JavaScript debugger stops on the next
  // line; the frames below the runtime's (skipped) ones are that task's coroutine, whose locals can
  // be inspected. Continue to go on.
  void stop;
  // eslint-disable-next-line no-debugger
  debugger;
}
