import type { Workspace } from '../workspace/open-workspace.js';
import { replayAction, type ReplayReport } from '../orchestrate/replay-action.js';
import { loadBuiltinKinds } from './builtin-kinds.js';

/** `fathom replay`: run a recorded action of a built-in kind again from its entry and compare the bytes. */
export async function replay(ws: Workspace, which: string): Promise<ReplayReport> {
  await loadBuiltinKinds([], ws.paths.root);
  return replayAction(ws, which);
}
