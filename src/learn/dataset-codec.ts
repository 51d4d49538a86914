import type { Feature, LabelledDataset } from './dataset.js';

/**
 * A labelled dataset as bytes, so it can be stored once (content-addressed) and every trial on
 * any worker reads the same rows: a little-endian u32 header length, a JSON header, then each
 * typed array at an 8-byte aligned offset. Decoding copies the arrays into shared memory, so a
 * trial worker thread reads them without a copy.
 */
interface Header {
  readonly format: 'fathom.dataset/1';
  readonly rows: number;
  readonly task: LabelledDataset['task'];
  readonly targetName: string;
  readonly features: ReadonlyArray<{ name: string; kind: Feature['kind']; categories?: readonly string[]; at: number }>;
  readonly target: number;
  readonly groups?: number;
  readonly time?: number;
}

type Typed = Float64Array | Int32Array;

export function encodeDataset(d: LabelledDataset): Uint8Array {
  const arrays: Typed[] = [];
  let offset = 0;
  const place = (a: Typed): number => {
    const at = offset;
    arrays.push(a);
    offset += Math.ceil(a.byteLength / 8) * 8;
    return at;
  };
  const features = d.features.map((f) =>
    f.kind === 'numeric'
      ? { name: f.name, kind: f.kind, at: place(f.values) }
      : { name: f.name, kind: f.kind, categories: f.categories, at: place(f.codes) },
  );
  const header: Header = {
    format: 'fathom.dataset/1',
    rows: d.rows,
    task: d.task,
    targetName: d.targetName,
    features,
    target: place(d.target),
    ...(d.groups ? { groups: place(d.groups) } : {}),
    ...(d.time ? { time: place(d.time) } : {}),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const start = Math.ceil((4 + json.byteLength) / 8) * 8;
  const out = new Uint8Array(start + offset);
  new DataView(out.buffer).setUint32(0, json.byteLength, true);
  out.set(json, 4);
  let at = start;
  for (const a of arrays) {
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += Math.ceil(a.byteLength / 8) * 8;
  }
  return out;
}

export function decodeDataset(bytes: Uint8Array): LabelledDataset {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = view.getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + length))) as Header;
  if (header.format !== 'fathom.dataset/1') throw new Error(`not a Fathom dataset (format ${String(header.format)})`);
  const start = Math.ceil((4 + length) / 8) * 8;
  const n = header.rows;
  const f64 = (at: number): Float64Array => shared(Float64Array, bytes, start + at, n);
  const i32 = (at: number): Int32Array => shared(Int32Array, bytes, start + at, n);
  return {
    rows: n,
    task: header.task,
    targetName: header.targetName,
    features: header.features.map((f) =>
      f.kind === 'numeric'
        ? { name: f.name, kind: 'numeric', values: f64(f.at) }
        : { name: f.name, kind: 'categorical', codes: i32(f.at), categories: f.categories ?? [] },
    ),
    target: f64(header.target),
    ...(header.groups === undefined ? {} : { groups: i32(header.groups) }),
    ...(header.time === undefined ? {} : { time: f64(header.time) }),
  };
}

function shared<T extends Typed>(
  Kind: { new (b: ArrayBufferLike): T; BYTES_PER_ELEMENT: number },
  bytes: Uint8Array,
  at: number,
  n: number,
): T {
  const size = n * Kind.BYTES_PER_ELEMENT;
  const buffer = new SharedArrayBuffer(size);
  new Uint8Array(buffer).set(bytes.subarray(at, at + size));
  return new Kind(buffer);
}
