import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import chardet from 'chardet';
import iconv from 'iconv-lite';
import { badInput } from '../../util/fathom-error.js';

export interface DetectedEncoding {
  /** An iconv-lite encoding name; `utf-8` means the file is read as it is. */
  readonly encoding: string;
  /** How it was decided: a byte-order mark, valid UTF-8, NUL bytes of UTF-16, chardet, or the user. */
  readonly by: 'bom' | 'utf8-valid' | 'utf16-nuls' | 'chardet' | 'user';
}

/** The bytes of a file (decompressed when gzip), as a stream. */
export function openBytes(path: string, gzip: boolean, start = 0): Readable {
  const raw = createReadStream(path, { start, highWaterMark: 1024 * 1024 });
  return gzip ? raw.pipe(createGunzip()) : raw;
}

/** Up to `limit` bytes starting at `start` of the (decompressed) file. */
export async function readSample(path: string, gzip: boolean, limit: number, start = 0): Promise<Buffer> {
  if (!gzip) {
    const handle = await open(path, 'r');
    try {
      const buffer = Buffer.alloc(limit);
      const { bytesRead } = await handle.read(buffer, 0, limit, start);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
  const chunks: Buffer[] = [];
  let seen = 0;
  let kept = 0;
  const stream = openBytes(path, true);
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const from = Math.max(0, start - seen);
    seen += chunk.length;
    if (from >= chunk.length) continue;
    const piece = chunk.subarray(from, from + (limit - kept));
    chunks.push(piece);
    kept += piece.length;
    if (kept >= limit) break;
  }
  stream.destroy();
  return Buffer.concat(chunks);
}

/**
 * The text encoding of a sample. Valid UTF-8 wins outright: chardet is unreliable on short
 * samples (it calls a few accented bytes Turkish or Russian as readily as Latin-1), so it is
 * asked only when the bytes cannot be UTF-8.
 */
export function detectEncoding(sample: Buffer, truncated: boolean): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', by: 'bom' };
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', by: 'bom' };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', by: 'bom' };
  const utf16 = nulPattern(sample);
  if (utf16 !== null) return { encoding: utf16, by: 'utf16-nuls' };
  if (isUtf8(sample, truncated)) return { encoding: 'utf-8', by: 'utf8-valid' };
  const guess = chardet
    .analyse(sample)
    .find((m) => m.name !== 'UTF-8' && m.name !== 'ASCII' && iconv.encodingExists(m.name));
  // Files called Latin-1 are nearly always windows-1252 in practice (its superset: € “ ” …).
  const name = guess === undefined || guess.name === 'ISO-8859-1' ? 'windows-1252' : guess.name;
  return { encoding: name.toLowerCase(), by: 'chardet' };
}

export function isUtf8Name(encoding: string): boolean {
  return /^(utf-?8|ascii|us-ascii)$/i.test(encoding);
}

export function checkEncodingName(encoding: string): string {
  if (!iconv.encodingExists(encoding)) {
    throw badInput(
      `Unknown text encoding "${encoding}"`,
      'Use a name such as utf-8, latin1, windows-1252, utf-16le or shift_jis.',
    );
  }
  return encoding;
}

function isUtf8(sample: Buffer, truncated: boolean): boolean {
  // A sample cut mid-character ends in up to 3 bytes of an unfinished sequence: ignore them.
  let end = sample.length;
  if (truncated) {
    let back = 0;
    while (back < 3 && end - back - 1 >= 0 && ((sample[end - back - 1] as number) & 0xc0) === 0x80) back++;
    const lead = sample[end - back - 1];
    if (lead !== undefined && lead >= 0xc0) end -= back + 1;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(sample.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** UTF-16 without a BOM shows as a NUL in every other byte of mostly-ASCII text. */
function nulPattern(sample: Buffer): string | null {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 8) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (sample[i] === 0) even++;
    if (sample[i + 1] === 0) odd++;
  }
  const half = n / 2;
  if (odd > 0.3 * half && even < 0.05 * half) return 'utf-16le';
  if (even > 0.3 * half && odd < 0.05 * half) return 'utf-16be';
  return null;
}

/**
 * Transcode a file to UTF-8 (without BOM), streaming, into `dest`. The result is
 * content-addressed by the caller, so an existing `dest` is reused.
 */
export async function transcodeToUtf8(path: string, gzip: boolean, encoding: string, dest: string): Promise<void> {
  if ((await stat(dest).catch(() => null)) !== null) return;
  await mkdir(dirname(dest), { recursive: true });
  const tmp = join(dirname(dest), `.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await pipeline(
      openBytes(path, gzip),
      iconv.decodeStream(encoding),
      iconv.encodeStream('utf-8'),
      createWriteStream(tmp),
    );
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
