/** A table as `fathom sources` and `fathom connect` list it: its shape, never its data. */
export interface TableSummary {
  readonly name: string;
  readonly rows: number | null;
  readonly fingerprint: string;
  readonly columns: ReadonlyArray<{ name: string; physicalType: string; logicalType: string }>;
  /** Malformed CSV rows set aside (connect --quarantine); 0 for every other table. */
  readonly quarantined: number;
}

export function tableSummary(t: {
  name: string;
  rows: number | null;
  columns: readonly { name: string; physicalType: string; logicalType: string }[];
  fingerprint: string;
  details?: Readonly<Record<string, unknown>>;
}): TableSummary {
  return {
    name: t.name,
    rows: t.rows,
    fingerprint: t.fingerprint,
    columns: t.columns.map((c) => ({ name: c.name, physicalType: c.physicalType, logicalType: c.logicalType })),
    quarantined: typeof t.details?.quarantined === 'number' ? t.details.quarantined : 0,
  };
}
