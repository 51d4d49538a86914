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
 * `--workers N` for commands that run a plan (`fathom run`, `explore`, `features`, `train`): N
 * local worker processes; 0 (the default) runs in this process; `joined` runs nothing here and
 * waits for the workers that joined the project (`fathom worker`, on this machine or others).
 */
export function addWorkersOption(cmd: Command): Command {
  return cmd.option(
    '--workers <n>',
    'run the planned actions on N local worker processes (0: in this process; joined: only on workers that joined with fathom worker)',
    (v: string) => (v === 'joined' ? 'joined' : v === '0' ? 0 : positiveInt('--workers')(v)),
    0,
  );
}
