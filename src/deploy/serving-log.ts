import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Workspace } from '../workspace/open-workspace.js';
import type { Dataset } from '../learn/dataset.js';
import type { PiiKind } from '../catalog/catalog.js';
import { reviewedCatalog } from '../metadata/reviewed-catalog.js';
import { maskPii } from '../explore/mask-pii.js';
import type { Prediction, ServedModel } from './served-model.js';

/**
 * What serving saw and said, one JSON line per scored row, in
 * `.fathom/serving/<model>/<YYYY-MM-DD>.ndjson` (UTC days). Monitoring compares these with the
 * training profile. Values of personal-data fields are masked before they are written.
 */
export interface ServedRecord {
  /** ISO instant the request was answered. */
  readonly at: string;
  readonly model: string;
  readonly version: number;
  readonly mode: 'rows' | 'entities' | 'batch';
  /** The entity keys (entity mode), masked where they are personal data; null for feature rows. */
  readonly entity: Readonly<Record<string, unknown>> | null;
  /** The features as the model saw them: numbers (epoch ms for datetimes, 0/1 for booleans) or levels; null when missing. */
  readonly features: Readonly<Record<string, number | string | null>>;
  /** What the profile bins: binary the positive probability, regression the value, multiclass the label. */
  readonly score: number | string | null;
  readonly prediction: string | number | null;
}

export function servingDir(ws: Workspace, model?: string): string {
  const dir = join(ws.paths.stateDir, 'serving');
  return model === undefined ? dir : join(dir, encodeURIComponent(model));
}

/** The fields of a model's inputs that hold personal data (from the catalog), and their kind. */
export async function piiFields(ws: Workspace, m: ServedModel): Promise<Map<string, PiiKind>> {
  const catalog = await reviewedCatalog(ws);
  const t = catalog.tables.find((x) => x.source === m.version.target.source && x.name === m.version.target.table);
  const out = new Map<string, PiiKind>();
  for (const c of t?.columns ?? []) if (c.pii !== null) out.set(c.name, c.pii);
  return out;
}

/** Appends served records, one buffered stream per model and day; close() flushes them. */
export class ServingLog {
  // Promises, set before the first await: two rows logged at once must share one stream (two
  // streams on one file, the first dropped from the map, lost its lines when close() ended the other).
  private readonly streams = new Map<string, Promise<WriteStream>>();

  constructor(private readonly dir: string) {}

  static open(ws: Workspace): ServingLog {
    return new ServingLog(servingDir(ws));
  }

  async record(
    m: ServedModel,
    mode: ServedRecord['mode'],
    pii: ReadonlyMap<string, PiiKind>,
    entities: ReadonlyArray<Readonly<Record<string, unknown>>> | null,
    data: Dataset,
    predictions: readonly Prediction[],
    at: Date = new Date(),
  ): Promise<void> {
    const stream = await this.stream(m.version.name, at);
    const iso = at.toISOString();
    let text = '';
    for (let r = 0; r < data.rows; r++) {
      const features: Record<string, number | string | null> = {};
      for (const f of data.features) {
        const v =
          f.kind === 'numeric'
            ? Number.isNaN(f.values[r]!)
              ? null
              : f.values[r]!
            : f.codes[r]! < 0
              ? null
              : f.categories[f.codes[r]!]!;
        const kind = pii.get(f.name);
        features[f.name] = kind && v !== null ? maskPii(kind, v) : v;
      }
      const p = predictions[r]!;
      const record: ServedRecord = {
        at: iso,
        model: m.version.name,
        version: m.version.version,
        mode,
        entity: entities ? mask(entities[r]!, pii) : null,
        features,
        score:
          p.probability ??
          (m.model.task.kind === 'regression' ? p.prediction : p.prediction === null ? null : String(p.prediction)),
        prediction: p.prediction,
      };
      text += `${JSON.stringify(record)}\n`;
    }
    stream.write(text);
  }

  async close(): Promise<void> {
    const open = [...this.streams.values()];
    this.streams.clear();
    await Promise.all(
      open.map(async (p) => {
        const s = await p;
        // end()'s callback fires at 'finish' (data flushed); the descriptor is closed only at
        // 'close', which comes later: waiting for it is what makes close() mean closed.
        const closed = once(s, 'close');
        s.end();
        await closed;
      }),
    );
  }

  private stream(model: string, at: Date): Promise<WriteStream> {
    const day = at.toISOString().slice(0, 10);
    const key = `${model}\u0000${day}`;
    let s = this.streams.get(key);
    if (!s) {
      // A new day closes the previous day's file of this model.
      for (const [k, old] of this.streams) {
        if (!k.startsWith(`${model}\u0000`)) continue;
        this.streams.delete(k);
        void old.then((o) => o.end());
      }
      const dir = join(this.dir, encodeURIComponent(model));
      s = mkdir(dir, { recursive: true }).then(() =>
        createWriteStream(join(dir, `${day}.ndjson`), { flags: 'a', mode: 0o600 }),
      );
      this.streams.set(key, s);
    }
    return s;
  }
}

function mask(row: Readonly<Record<string, unknown>>, pii: ReadonlyMap<string, PiiKind>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const kind = pii.get(k);
    out[k] = kind && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') ? maskPii(kind, v) : v;
  }
  return out;
}

/** Every served record of a model, oldest day first; `since` (ISO) skips earlier ones. A torn last line is skipped. */
export async function* readServingLog(ws: Workspace, model: string, since?: string): AsyncGenerator<ServedRecord> {
  const dir = servingDir(ws, model);
  let files: string[];
  try {
    files = (await readdir(dir)).filter((f) => /^\d{4}-\d\d-\d\d\.ndjson$/.test(f)).sort();
  } catch {
    return;
  }
  for (const f of files) {
    if (since !== undefined && f.slice(0, 10) < since.slice(0, 10)) continue;
    const lines = createInterface({ input: createReadStream(join(dir, f), 'utf8'), crlfDelay: Infinity });
    for await (const line of lines) {
      if (line.trim() === '') continue;
      let rec: ServedRecord;
      try {
        rec = JSON.parse(line) as ServedRecord;
      } catch {
        continue; // a line torn by a crash mid-write
      }
      if (since === undefined || rec.at >= since) yield rec;
    }
  }
}
