import type { Workspace } from '../workspace/open-workspace.js';
import { FathomError } from '../util/fathom-error.js';
import { connectAndRecord, type ConnectEnv } from '../sources/record-source.js';
import { SOURCES, type SourceRecord } from '../sources/source-actions.js';
import type { PipelineGoals } from './pipeline-goals.js';

/** Discover the sources the goals touch again: changed data gets new fingerprints before planning. */
export async function refreshSources(
  ws: Workspace,
  env: ConnectEnv,
  goals: PipelineGoals,
  connected: string | undefined,
): Promise<void> {
  const ledger = await ws.ledger();
  const wanted = goals.sources ?? (await ledger.listState<SourceRecord>(SOURCES)).map((s) => s.key);
  const train = goals.train?.source;
  for (const name of new Set([...wanted, ...(train ? [train] : [])])) {
    if (name === connected) continue;
    const rec = (await ledger.getState<SourceRecord>(SOURCES, name))?.value;
    if (!rec) throw new FathomError('usage', `No source named ${name}`, { hint: 'List them with `fathom sources`.' });
    await connectAndRecord(
      ws,
      { name, location: rec.location, options: rec.options },
      { ...env, cwd: ws.paths.root },
    ).catch((err: unknown) => {
      throw refreshFailed(name, rec.location, err);
    });
  }
}

/** A source that could be read at connect time and no longer can: say which, and how to move it. */
function refreshFailed(name: string, location: string, thrown: unknown): unknown {
  if (!(thrown instanceof FathomError)) return thrown;
  const move = `If the data moved: fathom connect ${name} NEW_LOCATION --replace`;
  return new FathomError(thrown.kind, `Source ${name} (${location}): ${thrown.message}`, {
    hint: thrown.hint ? `${thrown.hint} ${move}` : move,
    cause: thrown,
    ...(thrown.context ? { context: { ...thrown.context } } : {}),
  });
}
