export {
  trainLinear,
  linearFromJSON,
  LinearModel,
  DEFAULT_LINEAR_PARAMS,
  type LinearParams,
  type LinearModelJson,
  type Coefficient,
} from './linear-model.js';
export { fitEncoder, encode, type LinearEncoder, type EncoderOptions } from './linear-encoder.js';
