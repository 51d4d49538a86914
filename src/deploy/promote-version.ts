import type { Workspace } from '../workspace/open-workspace.js';
import { reviewer } from '../metadata/metadata-state.js';
import {
  promoteModel,
  resolveModelVersion,
  versionKey,
  type ModelVersion,
  type Promotion,
  type Stage,
} from './model-registry.js';

/**
 * Move a model version (NAME@VERSION, NAME@latest, NAME@STAGE) to a stage, asking `approve`
 * first when that puts it in production: the gate for what reaches production (a person's
 * yes, or `--yes` given ahead of time). A version already in production asks nothing; a
 * refusal throws the error that says how to approve.
 */
export async function promoteVersion(
  ws: Workspace,
  ref: string,
  stage: Stage,
  who: { readonly env: NodeJS.ProcessEnv; readonly approve: (version: ModelVersion) => Promise<boolean> },
): Promise<Promotion> {
  const version = await resolveModelVersion(ws, ref);
  const approved = stage !== 'production' || version.stage === 'production' || (await who.approve(version));
  return promoteModel(ws, versionKey(version.name, version.version), stage, { by: reviewer(who.env), approved });
}
