import { FathomError } from '../util/fathom-error.js';

/**
 * An action stopped at its stop time (a time budget). Recorded as failed like any failure,
 * but for good at once: running it again cannot give it more time.
 */
export class DeadlineReached extends FathomError {
  constructor(what: string, ms: number) {
    super('failed', `${what} stopped at the time budget's deadline after ${ms} ms`, {
      hint: 'raise the time budget (--time-budget) to give it more time',
    });
    this.name = 'DeadlineReached';
  }
}
