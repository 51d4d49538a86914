import type { Catalog, CatalogTable, Relationship } from '../catalog/catalog.js';
import { placeLabels, type Polyline } from './edge-labels.js';
import { assignLayers, orderLayers } from './layer-order.js';

export interface LayoutNode {
  readonly id: string;
  readonly table: CatalogTable;
  /** Top-left corner and size, in pixels. */
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface LayoutEdge {
  readonly relationship: Relationship;
  /** From the child's box to the parent's box, through the waypoints of the layers between. */
  readonly points: Polyline;
  /** Where the label is centred. */
  readonly lx: number;
  readonly ly: number;
  /** Direction of the last segment, degrees clockwise from north (for the arrow head). */
  readonly angle: number;
  readonly self: boolean;
}

export interface RelationshipLayout {
  readonly nodes: readonly LayoutNode[];
  readonly edges: readonly LayoutEdge[];
  readonly width: number;
  readonly height: number;
}

const NODE_W = 160;
const NODE_H = 42;
/** Slot of an edge passing through a layer (a dummy node). */
const DUMMY_W = 24;
const GAP_X = 56;
const GAP_Y = 96;
const MARGIN = 24;
/** Unrelated tables wrap, so 100 of them make a block, not a 20 000 px line. */
const MIN_ROW_WIDTH = 7 * (NODE_W + GAP_X);
/** A layer of related tables wraps only past this many tables (about 5000 px). */
const MAX_LAYER_SLOTS = 24;

/** A table's node id: its name, or source.name when two sources share the name. */
export function tableNodeId(catalog: Catalog, source: string | undefined, name: string): string | undefined {
  const same = catalog.tables.filter((t) => t.name === name);
  const table = same.find((t) => source === undefined || t.source === source) ?? same[0];
  if (!table) return undefined;
  return same.length > 1 ? `${table.source}.${table.name}` : table.name;
}

const dummyId = (edge: number, layer: number) => `\u0000${edge}:${layer}`;
const isDummy = (id: string) => id.startsWith('\u0000');

/**
 * A layered layout: parents (referenced tables) above their children, so every arrow points
 * up toward the key it refers to. An edge that skips layers bends through a waypoint in each
 * layer between (it never cuts through a table's box), and labels avoid each other.
 */
export function layoutRelationships(
  catalog: Catalog,
  labelWidth: (r: Relationship) => number = () => 120,
): RelationshipLayout {
  const ids = catalog.tables.map((t) => tableNodeId(catalog, t.source, t.name)!);
  const byId = new Map(catalog.tables.map((t, i) => [ids[i]!, t]));
  const rels = catalog.relationships
    .map((r) => ({
      r,
      child: tableNodeId(catalog, r.fromSource, r.from.table),
      parent: tableNodeId(catalog, r.toSource, r.to.table),
    }))
    .filter(
      (e): e is { r: Relationship; child: string; parent: string } => e.child !== undefined && e.parent !== undefined,
    );

  const parents = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
  for (const e of rels) if (e.child !== e.parent) parents.get(e.child)!.add(e.parent);
  const layer = assignLayers(ids, parents);

  // Chains of dummies for edges that skip layers; they take part in ordering.
  const up = new Map<string, Set<string>>(ids.map((id) => [id, new Set(parents.get(id))]));
  const chains = rels.map(({ child, parent }, i) => {
    const lc = layer.get(child)!;
    const lp = layer.get(parent)!;
    if (child === parent || lc - lp <= 1) return [] as string[];
    const chain = Array.from({ length: lc - lp - 1 }, (_, k) => dummyId(i, lc - 1 - k));
    up.get(child)!.delete(parent);
    let below = child;
    for (const d of chain) {
      up.get(below)!.add(d);
      up.set(d, new Set());
      layer.set(d, layer.get(below)! - 1);
      below = d;
    }
    up.get(below)!.add(parent);
    return chain;
  });
  const down = new Map<string, Set<string>>([...up.keys()].map((id) => [id, new Set()]));
  for (const [c, ps] of up) for (const p of ps) down.get(p)!.add(c);

  // Tables with no relationship at all go in a block of their own below the graph.
  const linked = new Set(rels.flatMap((e) => [e.child, e.parent]));
  const maxLayer = Math.max(0, ...layer.values());
  const initial = Array.from({ length: maxLayer + 1 }, (_, l) =>
    [...layer.keys()].filter((id) => layer.get(id) === l && (isDummy(id) || linked.has(id))).sort(byName),
  );
  const alone = ids.filter((id) => !linked.has(id)).sort(byName);
  const order = [...orderLayers(initial, up, down).filter((l) => l.length > 0), ...(alone.length ? [alone] : [])];

  // Place rows left to right. The unrelated block wraps into a square-ish grid; a layer of the
  // graph wraps only when very wide, since arrows from a wrapped row cross the row above it.
  const gridWidth = Math.max(MIN_ROW_WIDTH, Math.ceil(Math.sqrt(alone.length) * 1.2) * (NODE_W + GAP_X));
  const graphWidth = Math.max(gridWidth, MAX_LAYER_SLOTS * (NODE_W + GAP_X));
  const slots = placeRows(
    order,
    (members) => (members === order.at(-1) && alone.length > 0 ? gridWidth : graphWidth),
    alone.length > 0,
  );
  const centre = new Map(slots.map((p) => [p.id, [p.x + p.w / 2, p.y + NODE_H / 2] as [number, number]]));
  const nodes: LayoutNode[] = slots
    .filter((p) => !isDummy(p.id))
    .map((p) => ({ id: p.id, table: byId.get(p.id)!, x: p.x, y: p.y, w: p.w, h: NODE_H }));
  const width = Math.max(0, ...slots.map((p) => p.x + p.w + MARGIN));
  const row = slots.length ? Math.max(...slots.map((p) => p.row)) + 1 : 1;
  nodes.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));
  const nodeOf = new Map(nodes.map((n) => [n.id, n]));

  const seenPairs = new Map<string, number>();
  const routed = rels.map(({ r, child, parent }, i) => {
    const key = [child, parent].sort().join('\u0000');
    const k = seenPairs.get(key) ?? 0;
    seenPairs.set(key, k + 1);
    if (child === parent) return selfEdge(r, nodeOf.get(child)!, k, labelWidth(r));
    const waypoints = chains[i]!.map((d) => centre.get(d)!);
    return { ...route(r, nodeOf.get(child)!, nodeOf.get(parent)!, waypoints, k), width: labelWidth(r) };
  });
  const labels = placeLabels(routed, nodes);
  return {
    nodes,
    edges: routed.map(({ width: _w, fixed: _f, ...e }, i) => ({ ...e, lx: labels[i]![0], ly: labels[i]![1] })),
    width: Math.max(width, ...routed.filter((e) => e.self).map((e) => e.points[0]![0] + e.width + MARGIN)),
    height: MARGIN * 2 + row * NODE_H + (row - 1) * GAP_Y + 16,
  };
}

const byName = (a: string, b: string) => a.localeCompare(b);

interface Slot {
  readonly id: string;
  readonly row: number;
  readonly x: number;
  readonly y: number;
  readonly w: number;
}

/**
 * Rows left to right, each layer wrapped at its row width; rows of the graph are centred on
 * the widest one (parents over their children), the last block (unrelated tables, when
 * `lastIsGrid`) stays left-aligned.
 */
function placeRows(
  order: readonly (readonly string[])[],
  rowWidth: (members: readonly string[]) => number,
  lastIsGrid: boolean,
): Slot[] {
  const rows: Array<{ slots: Slot[]; grid: boolean }> = [];
  let row = 0;
  order.forEach((members, l) => {
    const grid = lastIsGrid && l === order.length - 1;
    let current: Slot[] = [];
    let x = MARGIN;
    for (const id of members) {
      const w = isDummy(id) ? DUMMY_W : NODE_W;
      if (x + w > MARGIN + rowWidth(members) && x > MARGIN) {
        rows.push({ slots: current, grid });
        current = [];
        row++;
        x = MARGIN;
      }
      current.push({ id, row, x, y: MARGIN + row * (NODE_H + GAP_Y), w });
      x += w + GAP_X;
    }
    rows.push({ slots: current, grid });
    row++;
  });
  const extent = (slots: readonly Slot[]) => (slots.length ? slots.at(-1)!.x + slots.at(-1)!.w : MARGIN);
  const widest = Math.max(MARGIN, ...rows.filter((r) => !r.grid).map((r) => extent(r.slots)));
  return rows.flatMap((r) => {
    const shift = r.grid ? 0 : Math.floor((widest - extent(r.slots)) / 2);
    return r.slots.map((s) => ({ ...s, x: s.x + shift }));
  });
}

/** The point where the segment from a node's centre toward (tx, ty) leaves its box. */
function exit(n: LayoutNode, tx: number, ty: number): [number, number] {
  const cx = n.x + n.w / 2;
  const cy = n.y + n.h / 2;
  const dx = tx - cx;
  const dy = ty - cy;
  const t = Math.min(dx === 0 ? Infinity : n.w / 2 / Math.abs(dx), dy === 0 ? Infinity : n.h / 2 / Math.abs(dy));
  return Number.isFinite(t) ? [cx + dx * t, cy + dy * t] : [cx, cy];
}

interface Routed {
  readonly relationship: Relationship;
  readonly points: Polyline;
  readonly angle: number;
  readonly self: boolean;
  readonly fixed?: [number, number];
}

function route(
  relationship: Relationship,
  child: LayoutNode,
  parent: LayoutNode,
  waypoints: Polyline,
  k: number,
): Routed {
  // The k-th relationship between the same two tables runs beside the first ones.
  const shift = k === 0 ? 0 : (k % 2 === 1 ? 1 : -1) * Math.ceil(k / 2) * 10;
  const pc: [number, number] = [parent.x + parent.w / 2 + shift, parent.y + parent.h / 2];
  const cc: [number, number] = [child.x + child.w / 2 + shift, child.y + child.h / 2];
  const first = waypoints[0] ?? pc;
  const last = waypoints.at(-1) ?? cc;
  const start = exit(child, first[0], first[1]);
  const end = exit(parent, last[0], last[1]);
  const points: Array<readonly [number, number]> = [
    [start[0] + shift, start[1]],
    ...waypoints,
    [end[0] + shift, end[1]],
  ];
  const [ax, ay] = points.at(-2)!;
  const [bx, by] = points.at(-1)!;
  return { relationship, points, angle: (Math.atan2(bx - ax, -(by - ay)) * 180) / Math.PI, self: false };
}

/** A table that refers to itself (manager_id -> employee_id): a short stub, its label to the right. */
function selfEdge(relationship: Relationship, node: LayoutNode, k: number, width: number): Routed & { width: number } {
  const y = node.y + node.h / 2 + k * 13;
  const x = node.x + node.w;
  return {
    relationship,
    points: [
      [x + 14, y],
      [x, y],
    ],
    angle: 270,
    self: true,
    fixed: [x + 18 + width / 2, y],
    width,
  };
}
