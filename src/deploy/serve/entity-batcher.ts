import type { Dataset } from '../../learn/dataset.js';
import { subsetFeatures } from '../../learn/search/subset-dataset.js';
import { entityDataset, toEntities, type ServedModel } from '../served-model.js';
import type { SerialEngine } from './serial-engine.js';

/** Computes the features of entity requests, several requests to one query when they queue up. */
export interface EntityBatcher {
  /** The features of these entities (one request's), in their order. Bad entities reject with InputError at once. */
  features(entities: ReadonlyArray<Readonly<Record<string, unknown>>>): Promise<Dataset>;
}

interface Waiting {
  readonly entities: ReadonlyArray<Readonly<Record<string, unknown>>>;
  resolve(data: Dataset): void;
  reject(err: unknown): void;
}

/**
 * A scoring query costs about the same for one entity as for a hundred: on file sources it
 * reads the files whole (the shop demo: ~80 ms either way). So requests that arrive while a
 * query runs wait for it to end and then go together in the next one, up to `maxRows`
 * entities; an idle server starts a request's query at once. Requests without a cutoff get the
 * batch's "now", which is at most one query's time after they arrived.
 */
export function entityBatcher(engine: SerialEngine, served: ServedModel, maxRows: number): EntityBatcher {
  const queue: Waiting[] = [];
  let running = false;

  async function drain(): Promise<void> {
    running = true;
    while (queue.length > 0) {
      const batch: Waiting[] = [queue.shift()!];
      let rows = batch[0]!.entities.length;
      while (queue.length > 0 && rows + queue[0]!.entities.length <= maxRows) {
        rows += queue[0]!.entities.length;
        batch.push(queue.shift()!);
      }
      try {
        const all = batch.flatMap((w) => w.entities);
        const data = await engine.run((e) => entityDataset(e, served, all));
        let from = 0;
        for (const w of batch) {
          w.resolve(sliceDataset(data, from, from + w.entities.length));
          from += w.entities.length;
        }
      } catch (err) {
        for (const w of batch) w.reject(err);
      }
    }
    running = false;
  }

  return {
    async features(entities) {
      // Checked alone first: one request's bad cutoff must not fail the others of its batch.
      toEntities(served.scoring!, entities);
      return new Promise<Dataset>((resolve, reject) => {
        queue.push({ entities, resolve, reject });
        if (!running) void drain();
      });
    },
  };
}

/** Rows [from, to) of a dataset. */
export function sliceDataset(data: Dataset, from: number, to: number): Dataset {
  return subsetFeatures(
    data,
    Int32Array.from({ length: to - from }, (_, i) => from + i),
  );
}
