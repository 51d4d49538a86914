import type { LogicalType } from '../engine/engine.js';
import type { FeatureKind } from '../catalog/feature-types.js';

/** A matrix column and its Parquet (DuckDB) type. */
export interface MatrixColumn {
  readonly name: string;
  readonly type: 'DOUBLE' | 'BIGINT' | 'VARCHAR' | 'BOOLEAN' | 'DATE' | 'TIMESTAMP';
}

/** The matrix type of a feature of this kind. */
export function featureColumnType(kind: FeatureKind): MatrixColumn['type'] {
  return kind === 'numeric' ? 'DOUBLE' : kind === 'boolean' ? 'BOOLEAN' : kind === 'datetime' ? 'TIMESTAMP' : 'VARCHAR';
}

/** The matrix type a source column (a key, the target) is stored as. */
export function columnTypeOf(logical: LogicalType): MatrixColumn['type'] {
  switch (logical) {
    case 'integer':
      return 'BIGINT';
    case 'float':
    case 'decimal':
      return 'DOUBLE';
    case 'boolean':
      return 'BOOLEAN';
    case 'date':
      return 'DATE';
    case 'timestamp':
      return 'TIMESTAMP';
    default:
      return 'VARCHAR';
  }
}

/** How readers of the matrix (training, selection) see a column of this type. */
export const LOGICAL_OF: Readonly<Record<MatrixColumn['type'], LogicalType>> = {
  DOUBLE: 'float',
  BIGINT: 'integer',
  VARCHAR: 'string',
  BOOLEAN: 'boolean',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
};
