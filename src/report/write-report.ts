import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildCatalog } from '../features/catalog-document.js';
import type { Catalog } from '../catalog/catalog.js';
import { atomicWrite } from '../util/atomic-write.js';
import { FathomError } from '../util/fathom-error.js';
import type { Workspace } from '../workspace/open-workspace.js';
import { buildReport, type RenderOptions } from './render-report.js';
import { monitorModels } from '../deploy/monitor/monitor-models.js';

/** What `fathom report --json` prints. */
export interface ReportSummary {
  readonly file: string;
  readonly bytes: number;
  readonly tables: number;
  readonly charts: number;
}

export const REPORT_FILE_NAME = 'report.html';

/** Where the report goes by default: inside the project's state folder, beside the ledger. */
export function defaultReportPath(ws: Workspace): string {
  return join(ws.paths.stateDir, REPORT_FILE_NAME);
}

/**
 * Build the catalog of the workspace and write its HTML report to `file` atomically (a
 * reader never sees half a report). A folder as `file` gets report.html inside it.
 */
export async function writeReport(
  ws: Workspace,
  file: string = defaultReportPath(ws),
  options: RenderOptions = {},
): Promise<ReportSummary> {
  const catalog = await buildCatalog(ws);
  if (catalog.tables.length === 0) {
    throw new FathomError('usage', 'Nothing explored yet: the report would be empty', {
      hint: 'Run fathom explore first.',
    });
  }
  // A week of served traffic against training; a report reads, so this run is not recorded.
  const monitoring = options.monitoring ?? (await monitorModels(ws, { record: false })).models;
  return writeCatalogReport(catalog, file, { title: `Fathom report — ${ws.config.project}`, monitoring, ...options });
}

/** Write the report of a catalog already in hand. */
export async function writeCatalogReport(
  catalog: Catalog,
  file: string,
  options: RenderOptions = {},
): Promise<ReportSummary> {
  let target = resolve(file);
  if (isFolder(target)) target = join(target, REPORT_FILE_NAME);
  const { html, tables, charts } = buildReport(catalog, options);
  const bytes = Buffer.from(html, 'utf8');
  try {
    await atomicWrite(target, bytes);
  } catch (cause) {
    throw new FathomError('bad_input', `Cannot write the report to ${target}: ${(cause as Error).message}`, {
      hint: 'Pass --out with a file in a folder you can write to.',
      cause,
    });
  }
  return { file: target, bytes: bytes.length, tables, charts };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
