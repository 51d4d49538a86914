/** Model export: ONNX (ai.onnx.ml tree ensembles and linear operators). */
export { exportGbdtOnnx } from './gbdt-onnx.js';
export { exportLinearOnnx, type LinearOnnxSpec } from './linear-onnx.js';
export { gbdtOnnxInput } from './onnx-input.js';
export { writeModelFile } from './write-model-file.js';
