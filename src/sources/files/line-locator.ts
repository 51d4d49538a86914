import { openBytes } from './text-encoding.js';

/**
 * Physical (1-based) line numbers for rows DuckDB rejected, from the byte offsets it reports.
 *
 * DuckDB's own `line` counts CSV records, so it is wrong after any quoted field that spans
 * lines. Its `line_byte_position` is right to within one byte, but not exactly: in DuckDB 1.5
 * it is the row's first byte + 1 for `\n` files, the first byte for `\r\n` files, and after
 * blank lines it points into them. So the row is taken to start at the first non-blank line
 * that begins at or after `position - 1`; tests pin this for LF, CRLF, BOM, blank lines and
 * multi-line quoted fields.
 */
export async function locateLines(
  path: string,
  gzip: boolean,
  positions: readonly number[],
): Promise<Map<number, number>> {
  const targets = [...new Set(positions)].sort((a, b) => a - b);
  const found = new Map<number, number>();
  if (targets.length === 0) return found;
  let next = 0;
  let line = 1;
  let atLineStart = true;
  let offset = 0;
  const stream = openBytes(path, gzip);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      let i = 0;
      while (i < chunk.length) {
        if (atLineStart) {
          atLineStart = false;
          const byte = chunk[i];
          if (byte !== 0x0a && byte !== 0x0d) {
            const start = offset + i;
            while (next < targets.length && (targets[next] as number) - 1 <= start)
              found.set(targets[next++] as number, line);
            if (next === targets.length) return found;
          }
        }
        const newline = chunk.indexOf(0x0a, i);
        if (newline === -1) break;
        line++;
        atLineStart = true;
        i = newline + 1;
      }
      offset += chunk.length;
    }
  } finally {
    stream.destroy();
  }
  return found;
}
