import type { Command } from 'commander';
import { parseTarget, type Family, type RunRequest } from '../../index.js';
import { confidence, duration, families, nonNegative, workUnits } from './budget-options.js';

export interface RunFlags {
  target?: string;
  name?: string;
  timeBudget?: number;
  budgetUnits?: number;
  seed: number;
  models?: Family[];
  yes?: boolean;
  acceptAbove?: number;
  json?: boolean;
}

/** The options `fathom run` and `fathom plan` share: what to predict, the budget, what is approved ahead. */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .option(
      '--target <table.column>',
      'the column to predict (default: the target confirmed in review, or the top proposal with --yes)',
    )
    .option('--name <source>', 'the source name for a new location (default: its folder or file name)')
    .option('--time-budget <duration>', 'training budget: 90s, 2m (default 60s)', duration)
    .option(
      '--budget-units <n>',
      'training work budget instead of time: the same data gives the same model on any machine and any number of workers',
      workUnits,
    )
    .option('--seed <n>', 'random seed', nonNegative, 0)
    .option('--models <families>', 'model families to search: linear,gbdt (default both)', families)
    .option('-y, --yes', 'full autonomy: accept every proposal and approve production ahead of time')
    .option(
      '--accept-above <confidence>',
      'accept proposals at least this confident (0..1); the rest wait for fathom review',
      confidence,
    );
}

/** The library's request from the flags. */
export function runRequest(data: string, opts: RunFlags): RunRequest {
  return {
    data,
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.target !== undefined ? { target: parseTarget(opts.target) } : {}),
    timeBudgetMs: opts.timeBudget ?? (opts.budgetUnits !== undefined ? null : 60_000),
    budgetUnits: opts.budgetUnits ?? null,
    seed: opts.seed,
    ...(opts.models ? { families: opts.models } : {}),
    approve: {
      review: opts.yes ? 'all' : opts.acceptAbove !== undefined ? opts.acceptAbove : 'none',
      production: opts.yes === true,
    },
  };
}
