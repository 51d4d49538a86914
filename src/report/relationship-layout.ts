import type { Catalog, CatalogTable, Relationship } from '../explore/catalog.js';

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
  /** Child end (x1, y1) to parent end (x2, y2), clipped to the node boxes. */
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  /** Where the label sits. */
  readonly lx: number;
  readonly ly: number;
  /** Direction of the line at the parent end, degrees clockwise from north (for the arrow head). */
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
const GAP_X = 80;
const GAP_Y = 96;
const MARGIN = 24;
/** Wide layers wrap, so 100 unrelated tables make a grid, not a 20 000 px line. */
const PER_ROW = 7;

/** A table's node id: its name, or source.name when two sources share the name. */
export function tableNodeId(catalog: Catalog, source: string | undefined, name: string): string | undefined {
  const same = catalog.tables.filter((t) => t.name === name);
  const table = same.find((t) => source === undefined || t.source === source) ?? same[0];
  if (!table) return undefined;
  return same.length > 1 ? `${table.source}.${table.name}` : table.name;
}

/**
 * A layered layout: parents (referenced tables) above their children, so every arrow points
 * up toward the key it refers to. Layer = longest chain of references above a table; within a
 * layer, tables sit under the mean position of their parents (one barycentre pass).
 */
export function layoutRelationships(catalog: Catalog, labelWidth: (r: Relationship) => number = () => 120): RelationshipLayout {
  const ids = catalog.tables.map((t) => tableNodeId(catalog, t.source, t.name)!);
  const byId = new Map(catalog.tables.map((t, i) => [ids[i]!, t]));
  const rels = catalog.relationships
    .map((r) => ({ r, child: tableNodeId(catalog, r.fromSource, r.from.table), parent: tableNodeId(catalog, r.toSource, r.to.table) }))
    .filter((e): e is { r: Relationship; child: string; parent: string } => e.child !== undefined && e.parent !== undefined);

  const parents = new Map<string, Set<string>>(ids.map((id) => [id, new Set()]));
  for (const e of rels) if (e.child !== e.parent) parents.get(e.child)!.add(e.parent);
  const layer = layers(ids, parents);

  // Rows: each layer in barycentre order, wrapped at PER_ROW.
  const position = new Map<string, { row: number; col: number }>();
  const maxLayer = Math.max(0, ...layer.values());
  let row = 0;
  let widest = 1;
  for (let l = 0; l <= maxLayer; l++) {
    const members = ids.filter((id) => layer.get(id) === l);
    const bary = (id: string) => {
      const ps = [...parents.get(id)!].map((p) => position.get(p)).filter((p) => p !== undefined);
      return ps.length ? ps.reduce((s, p) => s + p.col, 0) / ps.length : Number.POSITIVE_INFINITY;
    };
    members.sort((a, b) => bary(a) - bary(b) || a.localeCompare(b));
    members.forEach((id, i) => position.set(id, { row: row + Math.floor(i / PER_ROW), col: i % PER_ROW }));
    widest = Math.max(widest, Math.min(PER_ROW, members.length));
    row += Math.max(1, Math.ceil(members.length / PER_ROW));
  }

  const nodes: LayoutNode[] = ids.map((id) => {
    const p = position.get(id)!;
    return { id, table: byId.get(id)!, x: MARGIN + p.col * (NODE_W + GAP_X), y: MARGIN + p.row * (NODE_H + GAP_Y), w: NODE_W, h: NODE_H };
  });
  const nodeOf = new Map(nodes.map((n) => [n.id, n]));
  const seenPairs = new Map<string, number>();
  const edges = rels.map(({ r, child, parent }) => {
    const key = [child, parent].sort().join('\u0000');
    const k = seenPairs.get(key) ?? 0;
    seenPairs.set(key, k + 1);
    return child === parent ? selfEdge(r, nodeOf.get(child)!, k) : edge(r, nodeOf.get(child)!, nodeOf.get(parent)!, k);
  });
  return {
    nodes,
    edges: placeLabels(edges, nodes, labelWidth),
    width: MARGIN * 2 + widest * NODE_W + (widest - 1) * GAP_X,
    height: MARGIN * 2 + row * NODE_H + (row - 1) * GAP_Y + 16,
  };
}

/** Longest path from a root, with cycles (a -> b -> a) broken where they are met. */
function layers(ids: readonly string[], parents: ReadonlyMap<string, ReadonlySet<string>>): Map<string, number> {
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return -1;
    visiting.add(id);
    let l = 0;
    for (const p of parents.get(id) ?? []) l = Math.max(l, visit(p) + 1);
    visiting.delete(id);
    layer.set(id, l);
    return l;
  };
  for (const id of ids) visit(id);
  return layer;
}

function centre(n: LayoutNode): [number, number] {
  return [n.x + n.w / 2, n.y + n.h / 2];
}

/** The point where the segment from a node's centre toward (dx, dy) leaves its box. */
function exit(n: LayoutNode, dx: number, dy: number): [number, number] {
  const [cx, cy] = centre(n);
  const t = Math.min(dx === 0 ? Infinity : n.w / 2 / Math.abs(dx), dy === 0 ? Infinity : n.h / 2 / Math.abs(dy));
  return [cx + dx * t, cy + dy * t];
}

function edge(relationship: Relationship, child: LayoutNode, parent: LayoutNode, k: number): LayoutEdge {
  // The k-th relationship between the same two tables is drawn beside the first ones.
  const shift = k === 0 ? 0 : (k % 2 === 1 ? 1 : -1) * Math.ceil(k / 2) * 10;
  const [cx, cy] = centre(child);
  const [px, py] = centre(parent);
  const dx = px - cx;
  const dy = py - cy;
  const len = Math.hypot(dx, dy) || 1;
  const [ox, oy] = [(-dy / len) * shift, (dx / len) * shift];
  const [x1, y1] = exit(child, dx, dy);
  const [x2, y2] = exit(parent, -dx, -dy);
  return {
    relationship,
    x1: x1 + ox,
    y1: y1 + oy,
    x2: x2 + ox,
    y2: y2 + oy,
    lx: x1 + (x2 - x1) * 0.5 + ox,
    ly: y1 + (y2 - y1) * 0.5 + oy,
    angle: (Math.atan2(dx, -dy) * 180) / Math.PI,
    self: false,
  };
}

/** A table that refers to itself (manager_id -> employee_id): a short stub and its label to the right. */
function selfEdge(relationship: Relationship, node: LayoutNode, k: number): LayoutEdge {
  const y = node.y + node.h / 2 + k * 12;
  const x = node.x + node.w;
  return { relationship, x1: x, y1: y, x2: x + 14, y2: y, lx: x + 16, ly: y, angle: 270, self: true };
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Positions along an edge to try for its label, from the middle outward. */
const LABEL_STOPS = [0.5, 0.35, 0.65, 0.25, 0.75, 0.42, 0.58];

/**
 * Slide each label along its edge to the first spot that overlaps no node and no label placed
 * before it (greedy; a label with no free spot stays in the middle). Two arrows into the same
 * parent otherwise print their labels on top of each other.
 */
function placeLabels(edges: readonly LayoutEdge[], nodes: readonly LayoutNode[], labelWidth: (r: Relationship) => number): LayoutEdge[] {
  const taken: Box[] = nodes.map((n) => ({ x: n.x, y: n.y, w: n.w, h: n.h }));
  return edges.map((e) => {
    const w = labelWidth(e.relationship);
    const h = 13;
    if (e.self) {
      taken.push({ x: e.lx, y: e.ly - h / 2, w, h });
      return e;
    }
    const box = (t: number): Box => ({ x: e.x1 + (e.x2 - e.x1) * t - w / 2, y: e.y1 + (e.y2 - e.y1) * t - h / 2, w, h });
    const t = LABEL_STOPS.find((s) => !taken.some((b) => overlaps(b, box(s)))) ?? 0.5;
    const b = box(t);
    taken.push(b);
    return { ...e, lx: b.x + w / 2, ly: b.y + h / 2 };
  });
}
