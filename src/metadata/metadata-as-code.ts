import type { Workspace } from '../workspace/open-workspace.js';
import { atomicWrite } from '../util/atomic-write.js';
import type { Decision } from './decision.js';
import { decisionsFromFile, exportMetadata, parseMetadataFile } from './metadata-file.js';
import type { Recorded } from './metadata-state.js';
import { decide, loadReview } from './review-workspace.js';
import { validateDecisions } from './validate-decisions.js';

/**
 * The reviewed metadata as YAML (every proposal with its status and confidence), to edit and
 * review in git. With `file`, also written there atomically: an editor or a diff never reads
 * half a file.
 */
export async function exportMetadataFile(ws: Workspace, file?: string): Promise<string> {
  const text = exportMetadata((await loadReview(ws)).catalog);
  if (file !== undefined) await atomicWrite(file, text);
  return text;
}

export type AppliedMetadata =
  { readonly dryRun: true; readonly decisions: readonly Decision[] } | ({ readonly dryRun?: never } & Recorded);

/**
 * Record every confirmed or rejected entry of a metadata file (`name` is how errors cite it)
 * as one ledger action, all or nothing; with `dryRun`, only check it. A file exported before
 * newer decisions is applied anyway (its decisions replace them on the same facts), with a
 * warning.
 */
export async function applyMetadataFile(
  ws: Workspace,
  text: string,
  name: string,
  options: { readonly dryRun?: boolean; readonly env: NodeJS.ProcessEnv; readonly warn?: (message: string) => void },
): Promise<AppliedMetadata> {
  const parsed = parseMetadataFile(text, name);
  const state = await loadReview(ws);
  const decisions = decisionsFromFile(parsed, state.catalog, name);
  const current = state.catalog.metadataVersion ?? 0;
  if (parsed.version < current)
    options.warn?.(
      `${name} was exported at metadata v${parsed.version}; the project is at v${current}. Its decisions replace newer ones on the same facts.`,
    );
  if (options.dryRun) {
    validateDecisions(state.catalog, state.tags, decisions);
    return { dryRun: true, decisions };
  }
  return decide(ws, state, decisions, { via: 'apply', env: options.env });
}
