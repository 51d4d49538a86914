import type { Catalog } from '../catalog/catalog.js';
import type { Decision } from './decision.js';
import type { Proposal } from './proposals.js';

/**
 * The decisions that accept every proposal at or above `threshold`, except that at most one
 * target is confirmed: the most confident one, and only if none is confirmed yet. The other
 * target candidates stay suggested (a project predicts one target).
 */
export function bulkAccept(
  catalog: Catalog,
  proposals: readonly Proposal[],
  threshold: number,
): { accepted: Proposal[]; decisions: Decision[] } {
  const hasTarget = catalog.targets.some((t) => t.status === 'confirmed');
  const confident = proposals.filter((p) => p.confidence >= threshold);
  const bestTarget = hasTarget
    ? undefined
    : confident.filter((p) => p.fact === 'target').sort((a, b) => b.confidence - a.confidence)[0];
  const accepted = confident.filter((p) => p.fact !== 'target' || p === bestTarget);
  return { accepted, decisions: accepted.map((p) => p.accept) };
}
