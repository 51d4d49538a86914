import type { Workspace } from '../workspace/open-workspace.js';
import { FathomError } from '../util/fathom-error.js';
import type { ConnectEnv } from '../sources/record-source.js';
import { loadReview, decide } from '../metadata/review-workspace.js';
import { pendingProposals } from '../metadata/proposals.js';
import { reviewer } from '../metadata/metadata-state.js';
import { closeSearch, type SearchRecord } from '../train/search-record.js';
import { registerModel, promoteModel, listModelVersions, versionKey } from '../deploy/model-registry.js';
import type { BuiltNode } from './derive/plan-builder.js';
import type { DecisionWork } from './derive/derive-review.js';
import type { PromoteWork, RegisterWork } from './derive/derive-deploy.js';
import type { RunHooks } from './run-pipeline.js';

/** What the planning process does itself: decisions, closing a search, registering, promoting. */
export async function runHere(
  ws: Workspace,
  env: ConnectEnv,
  node: BuiltNode,
  say: (line: string) => void,
): Promise<void> {
  const by = reviewer(env.env);
  if (node.kind === 'metadata.review' || node.kind === 'gate.review') {
    const work = node.work as DecisionWork;
    const recorded = await decide(ws, await loadReview(ws), work.decisions, { via: work.via, env: env.env });
    say(`${node.id}: ${recorded.changes.length} decisions recorded (metadata v${recorded.version})`);
  } else if (node.kind === 'learn.search') {
    const { record } = node.work as { record: SearchRecord };
    await closeSearch(await ws.ledger(), ws.config.workerId, record);
    say(
      `${node.id}: closed, ${record.leaderboard.length} trials in ${record.rounds} rounds, ${record.unitsUsed} units`,
    );
  } else if (node.kind === 'deploy.register') {
    const r = await registerModel(ws, (node.work as RegisterWork).card, by);
    say(`${node.id}: ${versionKey(r.version.name, r.version.version)} (${r.version.stage})`);
  } else if (node.kind === 'deploy.promote') {
    const p = await promoteModel(ws, (node.work as PromoteWork).ref, 'production', { by, approved: true });
    say(
      `${node.id}: ${versionKey(p.version.name, p.version.version)} -> production${p.archived.length ? ` (replaces ${p.archived.map((a) => `v${a.version}`).join(', ')})` : ''}`,
    );
  } else {
    throw new FathomError('failed', `the planning process has nothing to do for ${node.kind}`, {
      hint: 'this is a bug in Fathom: please report it',
    });
  }
}

/** A gate waiting for a person, at a terminal: the review prompt, or the production question. */
export async function askPerson(ws: Workspace, gate: BuiltNode, hooks: RunHooks): Promise<boolean> {
  if (gate.gate === 'review' && hooks.review) {
    const state = await loadReview(ws);
    return hooks.review(ws, state, pendingProposals(state.catalog));
  }
  if (gate.gate === 'production' && hooks.approveProduction && gate.work !== undefined) {
    const ref = (gate.work as PromoteWork).ref;
    const versions = await listModelVersions(ws, ref.split('@')[0]);
    const version = versions.find((v) => versionKey(v.name, v.version) === ref)!;
    return hooks.approveProduction(version, versions.find((v) => v.stage === 'production') ?? null);
  }
  return false;
}
