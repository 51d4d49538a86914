import cliProgress from 'cli-progress';
import type { CliIO } from './output.js';

export interface ProgressEvent {
  readonly done: number;
  readonly total: number;
  readonly label: string;
}

export type ProgressSink = (event: ProgressEvent) => void;

/**
 * A progress display on stderr: a live bar on a terminal, one line per step otherwise (so CI
 * logs stay readable), nothing with --quiet. stdout is never touched.
 */
export function progressBar(io: CliIO, title: string, quiet: boolean): { update: ProgressSink; stop(): void } {
  if (quiet) return { update: () => {}, stop: () => {} };
  if (!io.stderr.isTTY) {
    return {
      update: (e) => io.stderr.write(`${title} [${e.done}/${e.total}] ${e.label}\n`),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${title} {bar} {value}/{total} {label}`,
      stream: io.stderr as NodeJS.WriteStream,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (e) => {
      if (!started) {
        bar.start(e.total, e.done, { label: e.label });
        started = true;
      } else {
        bar.setTotal(e.total);
        bar.update(e.done, { label: e.label });
      }
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
