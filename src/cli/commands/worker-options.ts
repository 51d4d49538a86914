import { InvalidArgumentError, type Command } from 'commander';
import { positiveInt } from './common.js';

/** Seconds, fractions allowed (short leases in tests), > 0. */
export function positiveSeconds(name: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n <= 0)
      throw new InvalidArgumentError(`${name} must be a positive number of seconds, got "${value}"`);
    return n;
  };
}

/**
 * `--workers N` for commands that run a plan (`fathom explore`, `fathom run`): N local worker
 * processes; 0 (the default) runs in this process. Pass the parsed value to runPlan's
 * `workers` option.
 */
export function addWorkersOption(cmd: Command): Command {
  return cmd.option(
    '--workers <n>',
    'run the planned actions with N local worker processes (0: in this process)',
    (v: string) => (v === '0' ? 0 : positiveInt('--workers')(v)),
    0,
  );
}
