import type { ActionKind } from '../orchestrate/action-kind.js';
import { registerActionKind } from '../orchestrate/action-registry.js';
import type { TableProfile } from '../explore/profile-table.js';
import { workspaceOf } from '../explore/explore-context.js';
import { reviewedCatalog } from '../metadata/reviewed-catalog.js';
import type { ColumnRef } from '../catalog/reviewed-facts.js';
import type { TaskKind } from '../learn/dataset.js';
import { tableKey, TABLES } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import { FathomError } from '../util/fathom-error.js';
import type { FeatureOptions } from './feature-options.js';
import { featureSetKey } from './feature-set-record.js';
import { synthesizeFeatureSet, type Synthesis } from './synthesize-feature-set.js';

export interface SynthesisParams {
  readonly target: ColumnRef & { readonly kind: TaskKind };
  readonly options: FeatureOptions;
  /** `source.table` of the profiles it read, in the order of its inputs (round two's action last, if any). */
  readonly tables: readonly string[];
}

/**
 * `features.synthesize`: the confirmed target's features over the reviewed relationship graph,
 * each row's cutoff, and the matrix query. Its inputs are the profiles of the target's source
 * (and round two, whose leakage suspects synthesis leaves out), its metadata version the
 * review's, so changed data or decisions plan it anew; its output is what the matrix and the
 * selection actions are planned from. It reads the reviewed catalog where it runs, and refuses
 * to run when that is not the one it was planned against.
 */
export const synthesisKind: ActionKind<SynthesisParams, Synthesis> = registerActionKind({
  kind: 'features.synthesize',
  version: '1',
  subject: (p) => featureSetKey(p.target),
  async run(ctx, params, inputs) {
    const ws = workspaceOf(ctx);
    const catalog = await reviewedCatalog(ws);
    const ledger = await ws.ledger();
    if ((catalog.metadataVersion ?? 0) !== ctx.metadataVersion) {
      throw changed(`the reviewed metadata (now v${catalog.metadataVersion ?? 0}, planned at v${ctx.metadataVersion})`);
    }
    for (const [i, key] of params.tables.entries()) {
      const profile = inputs[i]?.value as TableProfile | undefined;
      const table = (await ledger.getState<SourceTable>(TABLES, key))?.value;
      if (!profile || !table || profile.dataFingerprint !== table.fingerprint) throw changed(`table ${key}`);
    }
    const t = params.target;
    const confirmed = catalog.targets.find((x) => x.status === 'confirmed');
    if (!confirmed || confirmed.table !== t.table || confirmed.column !== t.column) {
      throw changed(`the confirmed target (${tableKey(t.source, t.table)}.${t.column})`);
    }
    return synthesizeFeatureSet(ws, catalog, params.options, ctx.log);
  },
});

const changed = (what: string) =>
  new FathomError('failed', `${what} changed after these features were planned`, {
    hint: 'Run it again: it plans against the current data and metadata.',
  });
