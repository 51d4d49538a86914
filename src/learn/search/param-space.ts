/**
 * A hyperparameter dimension, searched in a normalised [0, 1] coordinate (log scale where the
 * range spans orders of magnitude), as FLAML's FLOW2 does. `init` is the low-cost starting
 * value: the search starts cheap and spends more only when that pays.
 */
export interface ParamDim {
  readonly name: string;
  readonly scale: 'log' | 'linear';
  readonly integer: boolean;
  readonly low: number;
  readonly high: number;
  readonly init: number;
}

export type Params = Readonly<Record<string, number>>;

export function toUnit(dim: ParamDim, value: number): number {
  const v = Math.min(dim.high, Math.max(dim.low, value));
  const u =
    dim.scale === 'log' ? Math.log(v / dim.low) / Math.log(dim.high / dim.low) : (v - dim.low) / (dim.high - dim.low);
  return Number.isFinite(u) ? u : 0;
}

export function fromUnit(dim: ParamDim, u: number): number {
  const c = Math.min(1, Math.max(0, u));
  const v = dim.scale === 'log' ? dim.low * Math.pow(dim.high / dim.low, c) : dim.low + c * (dim.high - dim.low);
  // Rounded to 4 significant digits so configurations print readably and hash stably.
  return dim.integer ? Math.round(v) : Number(v.toPrecision(4));
}

export function paramsFromUnit(dims: readonly ParamDim[], point: Float64Array, fixed: Params = {}): Params {
  const out: Record<string, number> = { ...fixed };
  dims.forEach((d, i) => (out[d.name] = fromUnit(d, point[i]!)));
  return out;
}

export function unitFromParams(dims: readonly ParamDim[], params: Params): Float64Array {
  return Float64Array.from(dims, (d) => toUnit(d, params[d.name] ?? d.init));
}
