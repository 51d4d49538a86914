import { engineConformance } from '../engine-conformance.js';
import { openSqliteEngine } from './sqlite-engine.js';

engineConformance('sqlite', () => openSqliteEngine());
