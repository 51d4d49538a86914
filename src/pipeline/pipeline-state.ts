import type { ActionRecord, SubjectRecord } from '../orchestrate/run-action.js';
import type { SourceRecord } from '../sources/source-actions.js';
import type { SourceTable } from '../sources/source.js';
import type { TagRecord } from '../metadata/metadata-state.js';
import type { TableProfile } from '../explore/profile-table.js';
import type { RelationshipsRecord } from '../explore/explore-kinds.js';
import type { RoundTwo } from '../catalog/round-two-types.js';
import type { FeatureSetRecord } from '../features/feature-set-record.js';
import type { SearchRecord } from '../train/search-record.js';
import type { ModelVersion } from '../deploy/model-registry.js';

export interface KindInfo {
  readonly version: string;
  readonly subject?: (params: unknown) => string;
}

/** A connected source as it is now (its tables freshly discovered) and as the ledger last recorded it. */
export interface SourceState {
  readonly name: string;
  readonly record: SourceRecord;
  /** The tables as discovered now, with their current data fingerprints. */
  readonly tables: readonly SourceTable[];
  /** Data fingerprints as last recorded (`source.connect`), by table name, and that entry. */
  readonly recorded: ReadonlyMap<string, string>;
  readonly recordedSeq: number;
}

/**
 * Everything the planner reads, gathered once (pipeline/load-state.ts) so that deriving the
 * plan is a pure function of it. Records and outputs of actions are looked up as the planner
 * asks for them (its `wants`), so a plan never reads the whole history.
 */
export interface PipelineState {
  readonly now: number;
  /** The ledger's head when this run began: a trial stopped by an earlier run's deadline is no result now. */
  readonly runFrom: number;
  /** When this run's training started (its time budget counts from then), once it has. */
  readonly trainingStartedAt: number | null;
  /**
   * The registered action kinds: their code version (part of every fingerprint) and subject
   * (what an action is about), read from the registry: the code is part of the state.
   */
  readonly kinds: ReadonlyMap<string, KindInfo>;
  /** Cores of this machine: trials under a time budget fit on up to two threads. */
  readonly cores: number;
  readonly sources: readonly SourceState[];
  readonly tags: ReadonlyMap<string, TagRecord>;
  readonly metadataVersion: number;
  /** The latest of each projection, which the planner reads where an upstream node has not run yet. */
  readonly latest: {
    readonly profiles: ReadonlyMap<string, TableProfile>;
    readonly relationships: RelationshipsRecord | null;
    readonly roundTwo: RoundTwo | null;
    readonly featureSets: ReadonlyMap<string, FeatureSetRecord>;
  };
  readonly searches: ReadonlyMap<string, SearchRecord>;
  readonly modelVersions: readonly ModelVersion[];
  /** Model versions a server on this machine is serving now (its process is alive). */
  readonly serving: ReadonlySet<string>;
  /** Per kind and subject, what last ran, and the entry that recorded it. */
  readonly subjects: ReadonlyMap<string, SubjectRecord & { readonly seq: number }>;
  /** Action records by fingerprint, as looked up: null means no record. */
  readonly records: ReadonlyMap<string, (ActionRecord & { readonly seq: number }) | null>;
  /** Outputs of succeeded actions by fingerprint, as looked up. */
  readonly outputs: ReadonlyMap<string, unknown>;
}
