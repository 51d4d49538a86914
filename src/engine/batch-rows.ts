import type { Row } from './engine.js';

export const DEFAULT_BATCH_SIZE = 10_000;

/** Validate a caller's batch size; anything not a positive integer falls back to the default. */
export function batchSizeOf(batchSize: number | undefined): number {
  return batchSize !== undefined && Number.isSafeInteger(batchSize) && batchSize > 0 ? batchSize : DEFAULT_BATCH_SIZE;
}

/**
 * Regroup the driver's chunks (DuckDB's are 2048 rows) into batches of exactly `size` rows,
 * the last one shorter. Holds at most one batch plus one chunk.
 */
export async function* rebatch(chunks: AsyncIterable<Row[]>, size: number): AsyncGenerator<Row[]> {
  let pending: Row[] = [];
  for await (const chunk of chunks) {
    for (const row of chunk) {
      pending.push(row);
      if (pending.length === size) {
        yield pending;
        pending = [];
      }
    }
  }
  if (pending.length > 0) yield pending;
}
