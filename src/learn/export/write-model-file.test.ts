import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { withTempDir } from '../../testing/temp-dir.js';
import { trainGbdt } from '../gbdt/index.js';
import { syntheticTable } from '../gbdt/test-data.fixture.js';
import { exportGbdtOnnx } from './gbdt-onnx.js';
import { writeModelFile } from './write-model-file.js';

test('an exported model written to disk loads in onnxruntime and leaves no temp file', async () => {
  await withTempDir('onnx', async (dir) => {
    const model = await trainGbdt(
      syntheticTable(300, 'regression'),
      { numRounds: 5, minDataInLeaf: 5 },
      { threads: 1 },
    );
    const path = join(dir, 'model.onnx');
    await writeModelFile(path, exportGbdtOnnx(model));
    assert.deepEqual(await readdir(dir), ['model.onnx']);
    const session = await ort.InferenceSession.create(await readFile(path));
    assert.deepEqual(session.inputNames, ['input']);
    assert.deepEqual(session.outputNames, ['variable']);
  });
});
