import type { Catalog, Relationship } from '../catalog/catalog.js';
import type { Chart } from './chart.js';
import { layoutRelationships } from './relationship-layout.js';
import { fmt, pct } from './safe-stats.js';

/** "customer_id → customer_id · 99.7%": the label every drawn relationship carries. */
export function relationshipLabel(r: Relationship): string {
  const cols = (c: readonly string[]) => (c.length === 1 ? c[0]! : `(${c.join(', ')})`);
  return `${cols(r.from.columns)} → ${cols(r.to.columns)} · ${pct(r.coverage)}`;
}

const px = (field: string) => ({ field, type: 'quantitative', scale: null, axis: null });

/**
 * The tables as boxes and the relationships as arrows from the child's columns up to the
 * parent's key, laid out here (layered) and drawn by Vega-Lite with pixel scales. An arrow
 * whose coverage is below 100% (orphan rows) is drawn orange; a rejected one is not drawn.
 */
export function relationshipDiagram(catalog: Catalog): Chart | null {
  if (catalog.tables.length === 0) return null;
  // 10px labels: about 5.8px per character.
  // A relationship a person rejected is listed in the table below with its status, not drawn.
  const drawn = { ...catalog, relationships: catalog.relationships.filter((r) => r.status !== 'rejected') };
  const layout = layoutRelationships(drawn, (r) => relationshipLabel(r).length * 5.8);
  const nodes = layout.nodes.map((n) => ({
    kind: 'node',
    x: n.x,
    y: n.y,
    x2: n.x + n.w,
    y2: n.y + n.h,
    cx: n.x + n.w / 2,
    ty: n.y + 16,
    sy: n.y + 31,
    name: n.id.length > 24 ? `${n.id.slice(0, 23)}…` : n.id,
    table: n.id,
    sub: `${fmt(n.table.rows)} rows · ${n.table.columns.length} cols`,
  }));
  const edges = layout.edges.map((e, i) => {
    const [x2, y2] = e.points.at(-1)!;
    return {
      kind: 'edge',
      e: i,
      x2,
      y2,
      lx: e.lx,
      ly: e.ly,
      angle: e.angle,
      label: relationshipLabel(e.relationship),
      orphans: e.relationship.coverage < 1,
    };
  });
  const points = layout.edges.flatMap((e, i) =>
    e.points.map(([x, y], j) => ({
      kind: 'point',
      e: i,
      j,
      x,
      y,
      orphans: e.relationship.coverage < 1,
      from: `${e.relationship.from.table}.(${e.relationship.from.columns.join(', ')})`,
      to: `${e.relationship.to.table}.(${e.relationship.to.columns.join(', ')})`,
      coverage: pct(e.relationship.coverage),
      confidence: e.relationship.confidence,
    })),
  );
  const only = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
  const edgeColor = { condition: { test: 'datum.orphans', value: '#d9822b' }, value: '#667' };
  return {
    kind: 'relationship-diagram',
    label: `Relationship diagram: ${layout.nodes.length} tables, ${layout.edges.length} relationships`,
    template: {
      width: layout.width,
      height: layout.height,
      layer: [
        {
          // One polyline per relationship (detail e), through its waypoints in order j.
          name: 'edges',
          transform: only('point'),
          mark: { type: 'line', strokeWidth: 1.6, tooltip: true },
          encoding: {
            x: px('x'),
            y: px('y'),
            detail: { field: 'e', type: 'nominal' },
            order: { field: 'j', type: 'quantitative' },
            color: edgeColor,
            tooltip: [{ field: 'from' }, { field: 'to' }, { field: 'coverage' }, { field: 'confidence' }],
          },
        },
        {
          transform: only('edge'),
          mark: { type: 'point', shape: 'triangle-up', filled: true, size: 90, opacity: 1 },
          encoding: {
            x: px('x2'),
            y: px('y2'),
            angle: { field: 'angle', type: 'quantitative', scale: null },
            color: edgeColor,
          },
        },
        {
          transform: only('node'),
          mark: { type: 'rect', fill: '#f4f7fb', stroke: '#3b6ea5', strokeWidth: 1.2, cornerRadius: 5, tooltip: true },
          encoding: {
            x: px('x'),
            y: px('y'),
            x2: { field: 'x2' },
            y2: { field: 'y2' },
            tooltip: [{ field: 'table' }, { field: 'sub' }],
          },
        },
        {
          transform: only('node'),
          mark: { type: 'text', fontWeight: 'bold', fontSize: 12, align: 'center', baseline: 'middle' },
          encoding: { x: px('cx'), y: px('ty'), text: { field: 'name' } },
        },
        {
          transform: only('node'),
          mark: { type: 'text', fontSize: 10, fill: '#556', align: 'center', baseline: 'middle' },
          encoding: { x: px('cx'), y: px('sy'), text: { field: 'sub' } },
        },
        {
          transform: only('edge'),
          mark: {
            type: 'text',
            fontSize: 10,
            align: 'center',
            baseline: 'middle',
            fill: '#223',
            stroke: 'white',
            strokeWidth: 3,
            strokeOpacity: 0.85,
          },
          encoding: { x: px('lx'), y: px('ly'), text: { field: 'label' } },
        },
        {
          // Named so tests (and styles) find exactly one label per relationship; the layer above is its halo.
          name: 'edge_labels',
          transform: only('edge'),
          mark: { type: 'text', fontSize: 10, align: 'center', baseline: 'middle', fill: '#223' },
          encoding: { x: px('lx'), y: px('ly'), text: { field: 'label' } },
        },
      ],
    },
    values: [...points, ...edges, ...nodes],
  };
}
