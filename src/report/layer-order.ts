/**
 * Layer assignment and ordering for a layered (Sugiyama-style) drawing of a directed graph
 * whose edges point from child to parent. Parents go above children.
 */

export type Neighbours = ReadonlyMap<string, ReadonlySet<string>>;

/** Longest path from a root (a node with no parent), with cycles broken where they are met. */
export function assignLayers(ids: readonly string[], parents: Neighbours): Map<string, number> {
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

/**
 * Order each layer to keep edges short and uncrossed: barycentre sweeps, down (by parents),
 * up (by children), down again. Nodes with no neighbour keep their place; ties keep order.
 * `layers` holds the initial order of each layer (and may include dummy nodes).
 */
export function orderLayers(
  layers: readonly (readonly string[])[],
  parents: Neighbours,
  children: Neighbours,
): string[][] {
  const order = layers.map((l) => [...l]);
  const index = new Map<string, number>();
  const reindex = (l: number) => order[l]!.forEach((id, i) => index.set(id, i / Math.max(1, order[l]!.length - 1)));
  order.forEach((_, l) => reindex(l));
  const sweep = (l: number, neighbours: Neighbours) => {
    const current = new Map(order[l]!.map((id) => [id, index.get(id)!]));
    const key = (id: string) => {
      const ns = [...(neighbours.get(id) ?? [])].filter((n) => n !== id && index.has(n));
      return ns.length ? ns.reduce((s, n) => s + index.get(n)!, 0) / ns.length : current.get(id)!;
    };
    const keys = new Map(order[l]!.map((id) => [id, key(id)]));
    order[l]!.sort((a, b) => keys.get(a)! - keys.get(b)! || current.get(a)! - current.get(b)!);
    reindex(l);
  };
  const last = order.length - 1;
  for (let l = 1; l <= last; l++) sweep(l, parents);
  for (let l = last - 1; l >= 0; l--) sweep(l, children);
  for (let l = 1; l <= last; l++) sweep(l, parents);
  return order;
}
