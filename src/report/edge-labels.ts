/** A point list from the child end to the parent end of an edge. */
export type Polyline = ReadonlyArray<readonly [number, number]>;

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Positions along an edge to try for its label, from the middle outward. */
const LABEL_STOPS = [0.5, 0.35, 0.65, 0.25, 0.75, 0.42, 0.58, 0.15, 0.85];

/** The point a share `t` of the way along a polyline. */
export function pointAlong(points: Polyline, t: number): [number, number] {
  const lengths = points.slice(1).map((p, i) => Math.hypot(p[0] - points[i]![0], p[1] - points[i]![1]));
  let rest = lengths.reduce((a, b) => a + b, 0) * t;
  for (let i = 0; i < lengths.length; i++) {
    const len = lengths[i]!;
    if (rest <= len || i === lengths.length - 1) {
      const f = len === 0 ? 0 : Math.min(1, rest / len);
      const [ax, ay] = points[i]!;
      const [bx, by] = points[i + 1]!;
      return [ax + (bx - ax) * f, ay + (by - ay) * f];
    }
    rest -= len;
  }
  return [points[0]![0], points[0]![1]];
}

/**
 * Slide each label along its edge to the first spot that overlaps no node and no label placed
 * before it (greedy; a label with no free spot stays in the middle). Two arrows into the same
 * parent otherwise print their labels on top of each other. Returns label centres.
 */
export function placeLabels(
  edges: ReadonlyArray<{ points: Polyline; width: number; fixed?: [number, number] }>,
  obstacles: readonly Box[],
): Array<[number, number]> {
  const taken: Box[] = [...obstacles];
  const h = 13;
  return edges.map((e) => {
    const box = ([cx, cy]: readonly [number, number]): Box => ({ x: cx - e.width / 2, y: cy - h / 2, w: e.width, h });
    if (e.fixed) {
      taken.push(box(e.fixed));
      return e.fixed;
    }
    const stop = LABEL_STOPS.find((s) => !taken.some((b) => overlaps(b, box(pointAlong(e.points, s))))) ?? 0.5;
    const at = pointAlong(e.points, stop);
    taken.push(box(at));
    return at;
  });
}
