import type { Engine } from '../../engine/engine.js';
import type { SourceTable } from '../source.js';
import { FathomError } from '../../util/fathom-error.js';

/**
 * Create one view per file table, named after the table, over the exact reader discovery
 * settled on (`details.reader`: delimiter, quote, header, column types, encoding copy,
 * quarantine). Exploration queries the views like tables. The engine must read files (DuckDB).
 */
export async function registerFileViews(engine: Engine, tables: readonly SourceTable[]): Promise<void> {
  if (!engine.capabilities.readsFiles) {
    throw new FathomError('failed', `The ${engine.dialect.name} engine cannot read files; file tables need DuckDB`);
  }
  for (const table of tables) {
    const reader = table.details?.reader;
    if (typeof reader !== 'string') {
      throw new FathomError('failed', `Table ${table.name} of source ${table.source} has no file reader recorded`, {
        hint: 'Discover the source again (fathom connect).',
      });
    }
    await engine.exec(`CREATE OR REPLACE VIEW ${engine.dialect.quoteTable(table.ref)} AS SELECT * FROM ${reader}`);
  }
}
