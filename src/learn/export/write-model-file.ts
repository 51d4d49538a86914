import { rename, writeFile } from 'node:fs/promises';

/** Write model bytes (ONNX or JSON) whole or not at all: a temp file renamed into place. */
export async function writeModelFile(path: string, bytes: Uint8Array | string): Promise<void> {
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, bytes);
  await rename(temp, path);
}
