import type { Workspace } from '../workspace/open-workspace.js';
import type { ConnectEnv } from '../sources/record-source.js';
import { sourceNameFor } from '../sources/source-name.js';
import type { Family } from '../learn/search/learners.js';
import { curlCommand, exampleBody } from '../deploy/serve/example-request.js';
import { loadServedModel } from '../deploy/served-model.js';
import { predictPath } from '../deploy/serve/predict-route.js';
import type { PipelineGoals } from './pipeline-goals.js';
import { runPipeline, type RunHooks, type RunOutcome } from './run-pipeline.js';

/** What `fathom run` (and `fathom plan`) are asked: the data, the target, the budget, what is approved ahead. */
export interface RunRequest {
  /** A connected source's name, or a location (folder, file, glob, database URL) to connect. */
  readonly data: string;
  /** The source name for a new location (default: its folder or file name). */
  readonly name?: string;
  readonly target?: { readonly table: string; readonly column: string };
  readonly timeBudgetMs: number | null;
  readonly budgetUnits: number | null;
  readonly seed: number;
  readonly families?: readonly Family[];
  /** Approved ahead of time: every proposal (or those at least this confident), and production. */
  readonly approve: { readonly review: 'none' | 'all' | number; readonly production: boolean };
}

/** The whole flow's goals, and the location to connect first when `data` is not a connected source. */
export function runGoals(
  ws: Workspace,
  req: RunRequest,
  cwd: string,
): { goals: PipelineGoals; source: string; connect?: { name: string; location: string } } {
  const connected = ws.config.sources[req.data] !== undefined;
  const source = connected ? req.data : (req.name ?? sourceNameFor(req.data, ws.config.sources, ws.paths.root, cwd));
  const known = ws.config.sources[source] !== undefined;
  const goals: PipelineGoals = {
    sources: [source],
    review: { accept: req.approve.review },
    ...(req.target ? { target: req.target } : {}),
    roundTwo: true,
    features: null,
    train: {
      seed: req.seed,
      folds: 5,
      timeBudgetMs: req.timeBudgetMs,
      budgetUnits: req.budgetUnits,
      features: true,
      ...(req.families ? { families: req.families } : {}),
    },
    production: { approved: req.approve.production },
  };
  return { goals, source, ...(known ? {} : { connect: { name: source, location: req.data } }) };
}

export interface RunProjectOutcome extends RunOutcome {
  readonly source: string;
  /** A curl command that calls the production model once served (a real key from the data). */
  readonly call: string | null;
}

/**
 * `fathom run`: raw data to a model in production, every step a node of the derived plan:
 * connect, explore, review (a gate), round two, features, train, register, promote (a gate).
 */
export async function runProject(
  ws: Workspace,
  env: ConnectEnv,
  req: RunRequest & { readonly workers: number | 'joined'; readonly port: number; readonly serve?: boolean },
  hooks: RunHooks = {},
): Promise<RunProjectOutcome> {
  const planned = runGoals(ws, req, env.cwd);
  const { source, connect } = planned;
  const goals = req.serve ? { ...planned.goals, serve: true } : planned.goals;
  const outcome = await runPipeline(ws, env, { goals, workers: req.workers, ...(connect ? { connect } : {}) }, hooks);
  const production = outcome.model?.stage === 'production' ? outcome.model : null;
  const call = production
    ? curlCommand(
        `http://127.0.0.1:${req.port}${predictPath(production.name)}`,
        await exampleBody(ws, await loadServedModel(ws, production)),
      )
    : null;
  return { ...outcome, source, call };
}
