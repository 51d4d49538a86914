import type { Workspace } from '../workspace/open-workspace.js';
import { badInput, FathomError } from '../util/fathom-error.js';
import { canonicalJson, sha256 } from '../util/hash.js';
import type { LogEntry } from '../ledger/ledger-store.js';
import { registeredActionKind } from './action-registry.js';
import { runContextFor } from './run-context.js';

export interface ReplayReport {
  readonly seq: number;
  readonly kind: string;
  readonly fingerprint: string;
  /** The output hash the ledger recorded, and the one the replay produced. */
  readonly recorded: string;
  readonly replayed: string;
  readonly identical: boolean;
  readonly ms: number;
}

/**
 * Run a recorded action again from its ledger entry alone (its kind, params, inputs and
 * metadata version), without reading the output it recorded, and compare the bytes by hash.
 * Nothing is written: this checks that the result is reproducible from the log. The kind must
 * be registered already (pipeline/'s `replay` loads the built-in ones).
 */
export async function replayAction(ws: Workspace, which: string): Promise<ReplayReport> {
  const entry = await succeededEntry(ws, which);
  const kind = registeredActionKind(entry.kind);
  const recordedVersion = (entry.detail as { version?: string } | null)?.version;
  if (recordedVersion !== undefined && recordedVersion !== kind.version) {
    throw new FathomError(
      'failed',
      `Entry ${entry.seq} was made by ${entry.kind} version ${recordedVersion}; this Fathom has version ${kind.version}`,
      { hint: 'Replay it with the Fathom version that recorded it.' },
    );
  }
  const run = await runContextFor(ws);
  const t0 = performance.now();
  const out = await kind.run(
    {
      fingerprint: entry.fingerprint!,
      workerId: run.workerId,
      metadataVersion: entry.metadataVersion,
      objects: run.objects,
      log: () => undefined,
      stopAt: null,
      workspace: ws,
    },
    entry.params,
    entry.inputs.map((fingerprint) => ({ fingerprint })),
  );
  const replayed = sha256(out instanceof Uint8Array ? out : canonicalJson(out ?? null));
  return {
    seq: entry.seq,
    kind: entry.kind,
    fingerprint: entry.fingerprint!,
    recorded: entry.output!,
    replayed,
    identical: replayed === entry.output,
    ms: performance.now() - t0,
  };
}

/** The 'succeeded' entry named by its seq or its action fingerprint (or a unique prefix of one). */
async function succeededEntry(ws: Workspace, which: string): Promise<LogEntry> {
  const ledger = await ws.ledger();
  if (/^\d+$/.test(which)) {
    const [e] = await ledger.entries({ afterSeq: Number(which) - 1, limit: 1 });
    if (!e || e.seq !== Number(which)) throw badInput(`No ledger entry ${which}`, 'See the entries with fathom log.');
    if (e.status !== 'succeeded' || e.fingerprint === null || e.output === null)
      throw badInput(
        `Entry ${which} is a ${e.kind} '${e.status}' entry, not a succeeded action`,
        "Pick an entry whose status is 'succeeded' (fathom log).",
      );
    return e;
  }
  if (!/^[0-9a-f]{64}$/.test(which))
    throw badInput(
      `"${which}" is neither an entry number nor an action fingerprint`,
      'Pass the seq shown by fathom log, or a 64-hex fingerprint.',
    );
  const [e] = await ledger.entries({ fingerprint: which, status: 'succeeded', descending: true, limit: 1 });
  if (!e) throw badInput(`No succeeded action with fingerprint ${which}`, 'See the entries with fathom log.');
  return e;
}
