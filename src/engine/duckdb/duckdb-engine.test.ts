import { engineConformance } from '../engine-conformance.js';
import { openDuckDbEngine } from './duckdb-engine.js';

engineConformance('duckdb', () => openDuckDbEngine());
