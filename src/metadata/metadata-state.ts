import { userInfo } from 'node:os';
import type { LedgerStore, StatePatch } from '../ledger/ledger-store.js';
import { canonicalJson } from '../util/hash.js';
import { decisionKey, describeDecision, type Decision } from './decision.js';

/** Projected collections: the person's decisions (one row per fact slot) and the version. */
export const TAGS = 'tags';
export const METADATA = 'metadata';
const VERSION_KEY = 'version';
/** The ledger entry kind of every review decision (`fathom log --kind metadata.review`). */
export const REVIEW_KIND = 'metadata.review';

export interface TagRecord {
  readonly decision: Decision;
  readonly by: string;
  readonly at: string;
  /** The metadata version this decision created. */
  readonly version: number;
}

export interface Change {
  readonly key: string;
  readonly description: string;
  readonly old: Decision | null;
  readonly new: Decision;
}

export interface Recorded {
  /** The metadata version after the decisions (unchanged when nothing changed). */
  readonly version: number;
  readonly changes: readonly Change[];
  /** The ledger entry that recorded them, or null when every decision was already in force. */
  readonly seq: number | null;
}

/** The metadata version: 0 before any review; every recorded decision batch adds one. */
export async function metadataVersion(ledger: LedgerStore): Promise<number> {
  return (await ledger.getState<{ version: number }>(METADATA, VERSION_KEY))?.value.version ?? 0;
}

export async function readTags(ledger: LedgerStore): Promise<Map<string, TagRecord>> {
  return new Map((await ledger.listState<TagRecord>(TAGS)).map((r) => [r.key, r.value]));
}

/** Who decided: FATHOM_USER, or the login name. */
export function reviewer(env: NodeJS.ProcessEnv): string {
  if (env.FATHOM_USER) return env.FATHOM_USER;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

// A reference's measured coverage is evidence, not part of the decision.
const bare = (d: Decision): unknown => (d.fact === 'relationship' ? { ...d, coverage: undefined } : d);
const same = (a: Decision, b: Decision): boolean => canonicalJson(bare(a)) === canonicalJson(bare(b));

/**
 * Record decisions as one ledger entry: each carries who, when, the old value and the new.
 * The batch is atomic (the entry and its state patches are one transaction) and raises the
 * metadata version by one. A decision already in force is not recorded again, so applying the
 * same file twice changes nothing.
 */
export async function recordDecisions(
  ledger: LedgerStore,
  decisions: readonly Decision[],
  who: { readonly by: string; readonly via: 'review' | 'tag' | 'apply'; readonly workerId: string },
): Promise<Recorded> {
  const tags = await readTags(ledger);
  const latest = new Map<string, Decision>();
  for (const d of decisions) latest.set(decisionKey(d), d);
  const changes: Change[] = [];
  for (const [key, d] of latest) {
    const old = tags.get(key)?.decision ?? null;
    if (!old || !same(old, d)) changes.push({ key, description: describeDecision(d), old, new: d });
  }
  const current = await metadataVersion(ledger);
  if (changes.length === 0) return { version: current, changes, seq: null };
  const version = current + 1;
  const at = new Date().toISOString();
  const patches: StatePatch[] = [
    ...changes.map((c) => ({
      collection: TAGS,
      key: c.key,
      value: { decision: c.new, by: who.by, at, version } satisfies TagRecord,
    })),
    { collection: METADATA, key: VERSION_KEY, value: { version, at, by: who.by } },
  ];
  const entry = await ledger.append({
    kind: REVIEW_KIND,
    status: 'recorded',
    workerId: who.workerId,
    metadataVersion: version,
    params: { via: who.via },
    detail: { by: who.by, at, changes },
    patches,
  });
  return { version, changes, seq: entry.seq };
}
