/**
 * The rooms of src/, bottom to top: the one place the allowed order is written. A room may
 * import its own files and the rooms below it, never one above (rooms.test.ts reads every
 * import and enforces this). The order is the flow of the product: data and its store at the
 * bottom, then what is learnt from it, then what is done with it, then the faces people use.
 *
 * Where this differs from DESIGN.md's table, and why:
 * - `learn/` sits just above `util/`: its learners, metrics and search are pure (they import
 *   nothing but util/), and exploration (round two's AUC) and feature selection (the ranking
 *   probe) use them.
 * - The credential vault is in `workspace/`, not `sources/`: opening a project opens it, for
 *   the Postgres metadata password.
 * - The catalog is assembled in three rooms: as explored (`explore/`), with the person's
 *   decisions laid over it (`metadata/`), and as the whole document with the feature sets
 *   (`features/`); its types and the reviewed-facts view live in `catalog/`, below them all.
 */
export const ROOMS = [
  'util', // errors, hashing, atomic writes
  'learn', // pure learners: gbdt, linear, metrics, splits, search, ensembles, export
  'engine', // the Engine interface and its dialects
  'ledger', // metadata DB, signed hash-chained log, projections, queue SQL, object stores
  'workspace', // a project folder: config resolved once, paths, the vault
  'orchestrate', // the kernel: action kinds, fingerprints, plans as DAGs, run, workers, leases
  'sources', // connectors and data fingerprints
  'catalog', // the catalog's types and the reviewed-facts view
  'explore', // profiling, semantic types, keys, relationships, targets, PII, round two
  'metadata', // proposals, the person's decisions, the reviewed catalog
  'features', // relational feature synthesis compiled to SQL, cutoffs, selection, scoring plans
  'train', // training on a workspace: data, trials as queued kinds, ensembles, model cards
  'deploy', // registry, HTTP serving, batch scoring, drift monitoring
  'infra', // measured needs, sizing, the resource model, emitters, the local provider
  'pipeline', // the planner: goals and state to the whole DAG, gates, run
  'report', // HTML and terminal rendering, chart specs
  'ui', // the web dashboard
  'cli', // thin commands: parse, call one library function, print
] as const;

export type Room = (typeof ROOMS)[number];

/**
 * Pure cores: besides their own room they import nothing but util/, so they can be reasoned
 * about, tested and reused without a database, a file or a clock.
 */
export const PURE: readonly Room[] = ['util', 'learn'];

/**
 * Test support, outside the order: tests, fixtures and conformance suites may use it (and
 * the CLI through it); the product never does.
 */
export const TEST_SUPPORT = 'testing';
