/** Histogram gradient-boosted trees: training, prediction, explanations, our JSON format. */
export { trainGbdt, type TrainGbdtOptions } from './train-gbdt.js';
export { DEFAULT_GBDT_PARAMS, type GbdtParams } from './gbdt-params.js';
export { createGbdtModel, type GbdtModel, type GbdtModelState, type GbdtExplanation } from './gbdt-model.js';
export type { GbdtTree } from './gbdt-tree.js';
export type { FeatureBins } from './feature-bins.js';
export { GBDT_FORMAT, GBDT_FORMAT_VERSION } from './gbdt-json.js';
import { parseGbdtJSON } from './gbdt-json.js';
import { createGbdtModel, type GbdtModel } from './gbdt-model.js';

/** Rebuild a model from `model.toJSON()`, validating it (a bad file throws a FathomError). */
export function gbdtFromJSON(json: unknown): GbdtModel {
  return createGbdtModel(parseGbdtJSON(json));
}
