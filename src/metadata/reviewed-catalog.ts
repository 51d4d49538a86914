import type { Workspace } from '../workspace/open-workspace.js';
import type { Catalog } from '../catalog/catalog.js';
import type { RoundTwo } from '../catalog/round-two-types.js';
import { exploredCatalog } from '../explore/explored-catalog.js';
import { withRoundTwo } from '../explore/round-two/attach-round-two.js';
import { INSIGHTS, INSIGHTS_KEY } from '../explore/round-two/insight-kind.js';
import { applyReview } from './apply-review.js';
import { metadataVersion, readTags } from './metadata-state.js';

/**
 * The catalog as the person left it: exploration's proposals with every review decision laid
 * over them (statuses, confirmed values) and round two, when it ran at this metadata version.
 * This is what review, round two and features read.
 */
export async function reviewedCatalog(ws: Workspace): Promise<Catalog> {
  const ledger = await ws.ledger();
  const version = await metadataVersion(ledger);
  const reviewed = applyReview(await exploredCatalog(ws), await readTags(ledger), version);
  return withRoundTwo(reviewed, (await ledger.getState<RoundTwo>(INSIGHTS, INSIGHTS_KEY))?.value, version);
}
