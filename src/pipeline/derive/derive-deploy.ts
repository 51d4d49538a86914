import { versionKey } from '../../deploy/model-registry.js';
import type { ModelCard } from '../../train/model-card.js';
import type { Trained } from './derive-train.js';
import type { PlanBuilder } from './plan-builder.js';

/** What the planning process does at these nodes: register a card; promote a version. */
export interface RegisterWork {
  readonly card: ModelCard;
}
export interface PromoteWork {
  readonly ref: string;
}

/**
 * The registry: every trained model becomes a version (`deploy.register`), and the version
 * goes into production (`deploy.promote`) behind the production gate, which waits for a
 * person unless approved ahead of time.
 */
export function deriveDeploy(
  b: PlanBuilder,
  trained: Trained,
  production: { approved: boolean } | null,
  serve: boolean,
): void {
  const s = b.state;
  const register = `deploy.register ${trained.name}`;
  const promote = `deploy.promote ${trained.name}`;
  const versions = s.modelVersions.filter((v) => v.name === trained.name);
  const card = trained.output?.card ?? null;
  const version = card ? versions.find((v) => v.model === card.model) : undefined;
  if (card === null) {
    const cause = versions.length > 0 ? b.staleCause([trained.ensemble.id]) : null;
    b.here({
      id: register,
      step: 'register',
      kind: 'deploy.register',
      state: cause ? 'stale' : 'blocked',
      reason: cause ?? `waits for ${trained.ensemble.id}`,
      deps: [trained.ensemble.id],
    });
  } else {
    const next = Math.max(0, ...versions.map((v) => v.version)) + 1;
    b.here({
      id: register,
      step: 'register',
      kind: 'deploy.register',
      state: version ? 'reused' : 'ready',
      reason: version
        ? versionKey(version.name, version.version)
        : `register ${versionKey(trained.name, next)} (a candidate)`,
      deps: [trained.ensemble.id],
      ...(version ? {} : { work: { card } satisfies RegisterWork }),
    });
  }
  if (production === null) return;
  if (!version) {
    const cause = b.staleCause([register]);
    b.here({
      id: promote,
      step: 'promote',
      kind: 'deploy.promote',
      state: cause ? 'stale' : 'blocked',
      reason: cause ?? `waits for ${register}`,
      deps: [register],
      gate: 'production',
    });
    return;
  }
  const ref = versionKey(version.name, version.version);
  const live = version.stage === 'production';
  if (serve) {
    const up = s.serving.has(ref);
    b.here({
      id: `deploy.serve ${trained.name}`,
      step: 'serve',
      kind: 'deploy.serve',
      state: live && up ? 'reused' : live ? 'ready' : 'blocked',
      reason: live && up ? `${ref} is served here` : live ? `serve ${ref} over HTTP` : `waits for ${promote}`,
      deps: [promote],
    });
  }
  b.here({
    id: promote,
    step: 'promote',
    kind: 'deploy.promote',
    state: live ? 'reused' : production.approved ? 'ready' : 'waiting-for-gate',
    reason: live
      ? `${ref} is in production`
      : production.approved
        ? `put ${ref} in production (approved ahead of time)`
        : `${ref} stays a ${version.stage}: approve it with fathom promote ${ref} production --yes (or run with --yes)`,
    deps: [register],
    gate: 'production',
    ...(live ? {} : { work: { ref } satisfies PromoteWork }),
  });
}
