import { binCounts, psiOfCounts, type BinnedProfile } from '../../train/training-profile.js';

/** Values buffered before they are counted into bins: bounds memory whatever the log's size. */
const FLUSH_AT = 4096;

/**
 * Counts streamed values into a training profile's bins, a buffer at a time, so a month of
 * served records needs one small array per feature rather than every value.
 */
export class BinAccumulator {
  private readonly counts: number[];
  private buffer: unknown[] = [];

  constructor(readonly profile: BinnedProfile) {
    this.counts = new Array<number>(profile.shares.length).fill(0);
  }

  add(value: unknown): void {
    this.buffer.push(value);
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }

  /** PSI against the training shares, the live shares and the count. */
  result(): { psi: number; count: number; shares: number[] } {
    this.flush();
    return psiOfCounts(this.profile, this.counts);
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    binCounts(this.profile, this.buffer).forEach((c, i) => (this.counts[i]! += c));
    this.buffer = [];
  }
}
