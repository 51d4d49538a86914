import type { Workspace } from '../workspace/open-workspace.js';
import { writeModelFile } from '../learn/export/index.js';
import { fathomModelFromJSON } from './fathom-model.js';
import { exportModelOnnx } from './export-model-onnx.js';

export interface OnnxFile {
  readonly file: string;
  readonly family: string;
  readonly inputColumns: readonly string[];
  /** How the ONNX input is laid out, in words. */
  readonly input: string;
}

/** Write a saved model (by object hash) to an ONNX file: a single GBDT or linear model. */
export async function exportOnnxFile(ws: Workspace, model: string, file: string): Promise<OnnxFile> {
  const exported = exportModelOnnx(fathomModelFromJSON(await (await ws.objects()).getJson(model)));
  await writeModelFile(file, exported.bytes);
  return { file, family: exported.family, inputColumns: exported.inputColumns, input: exported.inputNote };
}
