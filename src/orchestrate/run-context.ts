import type { Workspace } from '../workspace/open-workspace.js';
import type { RunContext } from './run-action.js';

/** What `runAction` needs to run in a workspace, as this process's worker. */
export async function runContextFor(ws: Workspace, log?: (message: string) => void): Promise<RunContext> {
  const [ledger, objects] = await Promise.all([ws.ledger(), ws.objects()]);
  return { ledger, objects, workerId: ws.config.workerId, workspace: ws, ...(log ? { log } : {}) };
}
