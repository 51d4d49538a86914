import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { FathomError } from '../util/fathom-error.js';

/** The browser builds of the chart libraries, inlined into every report (no network needed). */
export interface ChartLibraries {
  readonly vega: string;
  readonly vegaLite: string;
}

let cached: ChartLibraries | undefined;

/**
 * Read vega and vega-lite's minified UMD builds from node_modules (about 770 kB together).
 * Their package exports hide package.json, so each build is found beside the resolved entry.
 */
export function chartLibraries(): ChartLibraries {
  cached ??= { vega: readBuild('vega', 'vega.min.js'), vegaLite: readBuild('vega-lite', 'vega-lite.min.js') };
  return cached;
}

function readBuild(pkg: string, file: string): string {
  try {
    const entry = createRequire(import.meta.url).resolve(pkg);
    return readFileSync(join(dirname(entry), file), 'utf8');
  } catch (cause) {
    throw new FathomError('failed', `Cannot read the ${pkg} browser build (${file}) that the HTML report inlines`, {
      hint: "Reinstall Fathom's dependencies: npm install",
      cause,
    });
  }
}

/** A script's text made safe to inline: nothing in it can close the <script> element early. */
export function inlineScript(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');
}
