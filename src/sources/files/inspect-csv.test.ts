import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { columnNames, columnTypes, discoverOne, readRows } from '../connect/files-kit.fixture.js';
import { FathomError } from '../../util/fathom-error.js';

describe('CSV dialect', () => {
  for (const [label, delim] of [
    ['comma', ','],
    ['semicolon', ';'],
    ['tab', '\t'],
    ['pipe', '|'],
  ] as const) {
    it(`detects the ${label} delimiter`, async () => {
      const text =
        ['id,name,score', '1,Ann,2.5', '2,Bob,3.25', '3,Cy,4'].map((l) => l.replaceAll(',', delim)).join('\n') + '\n';
      const t = await discoverOne(`d.${label === 'tab' ? 'tsv' : 'csv'}`, text);
      assert.equal(t.details?.delimiter, delim);
      assert.deepEqual(columnNames(t), ['id', 'name', 'score']);
      assert.equal(t.rows, 3);
      assert.deepEqual(await readRows(t, 'name, score', 'ORDER BY id'), [
        { name: 'Ann', score: 2.5 },
        { name: 'Bob', score: 3.25 },
        { name: 'Cy', score: 4 },
      ]);
    });
  }

  it('keeps decimal commas inside semicolon-separated fields, read as numbers', async () => {
    const t = await discoverOne('eu.csv', 'a;b\n1;2,5\n2;3,5\n');
    assert.equal(t.details?.delimiter, ';');
    assert.deepEqual(await readRows(t, 'b', 'ORDER BY a'), [{ b: 2.5 }, { b: 3.5 }]);
  });

  it('tells a header from none', async () => {
    const withHeader = await discoverOne('h.csv', 'id,amount\n1,10\n2,20\n');
    assert.equal(withHeader.details?.header, true);
    assert.deepEqual(columnNames(withHeader), ['id', 'amount']);
    assert.equal(withHeader.rows, 2);
    const without = await discoverOne('n.csv', '1,10\n2,20\n3,30\n');
    assert.equal(without.details?.header, false);
    assert.equal(without.rows, 3);
    assert.deepEqual(columnNames(without), ['column0', 'column1']);
  });

  it('honours header: false when every field is text', async () => {
    const t = await discoverOne('s.csv', 'x,y\nu,v\n', { header: false });
    assert.equal(t.rows, 2);
    assert.deepEqual(await readRows(t, 'column0', 'ORDER BY 1'), [{ column0: 'u' }, { column0: 'x' }]);
  });

  it('reads quoted fields with delimiters, doubled quotes and newlines', async () => {
    const t = await discoverOne('q.csv', 'id,text\n1,plain\n2,"a, b"\n3,"say ""hi"""\n4,"two\nlines"\n');
    assert.equal(t.rows, 4);
    assert.deepEqual(
      (await readRows(t, 'text', 'ORDER BY id')).map((r) => r.text),
      ['plain', 'a, b', 'say "hi"', 'two\nlines'],
    );
  });

  it('keeps column names with quotes, spaces and unicode', async () => {
    const t = await discoverOne('names.csv', '"it\'s","say ""x""", first name ,名前,Größe\n1,2,3,4,5\n');
    assert.deepEqual(columnNames(t), ["it's", 'say "x"', 'first name', '名前', 'Größe']);
    assert.deepEqual(await readRows(t, '"名前", "it\'s"'), [{ 名前: 4, "it's": 1 }]);
  });
});

describe('CSV encodings', () => {
  it('reads a Latin-1 file: é in values and in a column name', async () => {
    const bytes = iconv.encode('id;café;ville\n1;crème brûlée;Besançon\n2;été;Zürich\n', 'latin1');
    assert.ok(bytes.includes(0xe9), 'fixture really is Latin-1');
    const t = await discoverOne('latin.csv', bytes);
    assert.equal(t.details?.encoding, 'windows-1252');
    assert.deepEqual(columnNames(t), ['id', 'café', 'ville']);
    assert.deepEqual(await readRows(t, '"café", ville', 'ORDER BY id'), [
      { café: 'crème brûlée', ville: 'Besançon' },
      { café: 'été', ville: 'Zürich' },
    ]);
    assert.ok(typeof t.details?.transcodedTo === 'string' && existsSync(t.details.transcodedTo));
  });

  it('finds Latin-1 bytes that appear only after the detection sample', async () => {
    const rows = Array.from({ length: 30000 }, (_, i) => `${i},plain-text-row`);
    rows.push('30000,déjà vu');
    const t = await discoverOne('late.csv', iconv.encode(`id,v\n${rows.join('\n')}\n`, 'latin1'));
    assert.equal(t.rows, 30001);
    assert.equal(t.details?.encoding, 'windows-1252');
    assert.deepEqual(await readRows(t, 'v', 'WHERE id = 30000'), [{ v: 'déjà vu' }]);
  });

  it('honours an explicit encoding option', async () => {
    const t = await discoverOne('x.csv', iconv.encode('k,v\n1,ÿ\n', 'latin1'), { encoding: 'latin1' });
    assert.equal(t.details?.encodingDetectedBy, 'user');
    assert.deepEqual(await readRows(t, 'v'), [{ v: 'ÿ' }]);
  });

  it('reads UTF-16 with a BOM', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('id,name\n1,Zoë\n', 'utf16le')]);
    const t = await discoverOne('u16.csv', bytes);
    assert.deepEqual(columnNames(t), ['id', 'name']);
    assert.deepEqual(await readRows(t, 'name'), [{ name: 'Zoë' }]);
  });

  it('drops a UTF-8 BOM from the first column name', async () => {
    const t = await discoverOne('bom.csv', '\ufeffid,name\n1,Zoë\n');
    assert.deepEqual(columnNames(t), ['id', 'name']);
    assert.equal(t.details?.encoding, 'utf-8');
    assert.equal(t.details?.transcodedTo, undefined, 'UTF-8 is read in place');
    assert.deepEqual(await readRows(t, 'id, name'), [{ id: 1, name: 'Zoë' }]);
  });

  it('reads gzip-compressed CSV', async () => {
    const t = await discoverOne('z.csv.gz', gzipSync('a,b\n1,2\n3,4\n'));
    assert.equal(t.name, 'z');
    assert.equal(t.rows, 2);
    assert.equal(t.details?.compression, 'gzip');
  });
});

describe('CSV shapes', () => {
  it('turns a column whose late values do not fit its sniffed type into VARCHAR', async () => {
    const rows = Array.from({ length: 30000 }, (_, i) => `${i},${i * 2},2024-01-01`);
    rows.push('30000,n/a,not a date');
    const t = await discoverOne('mixed.csv', `id,amount,day\n${rows.join('\n')}\n`);
    assert.equal(t.rows, 30001, 'no row is lost');
    const types = columnTypes(t);
    assert.equal(types.amount, 'VARCHAR');
    assert.equal(types.day, 'VARCHAR');
    assert.equal(types.id, 'BIGINT', 'columns that fit keep their type');
    assert.deepEqual(t.details?.widenedToVarchar, ['amount', 'day']);
    assert.deepEqual(await readRows(t, 'amount', 'WHERE id = 30000'), [{ amount: 'n/a' }]);
  });

  it('reads a header-only file as a table with zero rows', async () => {
    const t = await discoverOne('header.csv', 'id,name,amount\n');
    assert.equal(t.rows, 0);
    assert.deepEqual(columnNames(t), ['id', 'name', 'amount']);
    assert.deepEqual(await readRows(t), []);
  });

  it('refuses an empty file, naming it', async () => {
    for (const content of ['', '\n\n', '\ufeff']) {
      await assert.rejects(discoverOne('empty.csv', content), (err: unknown) => {
        assert.ok(err instanceof FathomError && err.kind === 'bad_input');
        assert.match(err.message, /empty\.csv is empty/);
        return true;
      });
    }
  });
});

/** The error discovery raises for `content`, which must be a malformed-row error. */
async function malformed(name: string, content: string | Buffer): Promise<FathomError> {
  try {
    await discoverOne(name, content);
  } catch (err) {
    assert.ok(err instanceof FathomError, String(err));
    return err;
  }
  assert.fail('discovery should have failed');
}

describe('malformed CSV rows', () => {
  const cases: Array<[string, string | Buffer, number, RegExp]> = [
    ['too many fields', 'a,b,c\n1,2,3\n4,5,6\n7,8,9,10\n11,12,13\n', 4, /expected 3 fields, found 4/],
    ['too few fields', 'a,b,c\n1,2,3\n4,5\n6,7,8\n', 3, /expected 3 fields, found 2/],
    ['first data row', 'a,b,c\n1,2,3,4\n5,6,7\n8,9,10\n', 2, /found 4/],
    ['CRLF line ends', 'a,b,c\r\n1,2,3\r\n4,5,6,7\r\n8,9,10\r\n', 3, /found 4/],
    ['after a quoted field spanning lines', 'a,b\n"l1\nl2\nl3",2\n3,4\n5,6,7\n8,9\n', 6, /expected 2 fields, found 3/],
    ['after blank lines', 'a,b,c\n1,2,3\n\n\n4,5,6,7\n8,9,10\n', 5, /found 4/],
    ['after a UTF-8 BOM', '\ufeffa,b,c\n1,2,3\n1,2,3,4\n5,6,7\n', 3, /found 4/],
    ['last line without newline', 'a,b,c\n1,2,3\n4,5,6\n7,8,9,10', 4, /found 4/],
    ['one-field line', 'a,b,c\n1,2,3\nx\n4,5,6\n', 3, /found 1/],
    ['no header', '1,2,3\n4,5,6\n7,8\n9,10,11\n', 3, /found 2/],
    ['unterminated quote', 'a,b\n1,2\n"open,3\n4,5\n', 3, /quoted value is not closed/],
    ['in a Latin-1 file', iconv.encode('a;b\n1;é\n2;è;x\n3;à\n', 'latin1'), 3, /expected 2 fields, found 3/],
  ];
  for (const [label, content, line, reason] of cases) {
    it(`names file:line — ${label}`, async () => {
      const err = await malformed('bad.csv', content);
      assert.equal(err.kind, 'bad_input');
      assert.ok(err.message.includes(`bad.csv:${line}: `), err.message);
      assert.match(err.message, reason);
      assert.match(err.hint ?? '', /--quarantine/);
    });
  }

  it('reports stray invalid bytes in a UTF-8 file as bad rows instead of re-decoding it', async () => {
    const head = Buffer.from(
      'id,name\n1,Zoë\n' + Array.from({ length: 40000 }, (_, i) => `${i + 2},x`).join('\n') + '\n',
    );
    const err = await malformed('damaged.csv', Buffer.concat([head, Buffer.from([0x34, 0x2c, 0xe9, 0x0a])]));
    assert.ok(err.message.includes('damaged.csv:40003: bytes that are not valid UTF-8'), err.message);
    assert.match(err.hint ?? '', /encoding/);
  });

  it('lists several bad rows with their lines, deep into a large file', async () => {
    const lines = ['id,v'];
    for (let i = 0; i < 50000; i++) lines.push(i % 10000 === 7 ? `${i},1,2` : `${i},${i}`);
    const err = await malformed('big.csv', lines.join('\n') + '\n');
    assert.match(err.message, /big\.csv:9: expected 2 fields, found 3 \(5 malformed rows\)/);
    for (const line of [10009, 20009, 30009, 40009]) assert.ok(err.message.includes(`big.csv:${line}: `), err.message);
  });

  it("keeps line numbers right across DuckDB's parallel chunks of a 25 MB file with multi-line fields", async () => {
    const records = ['id,note,n'];
    for (let k = 0; k < 1_500_000; k++) records.push(`${k},"a\nb",${k % 7}`);
    // Record k starts on physical line 2 + 2k, less one for each one-line bad record before it.
    const bad = [5, 600_000, 1_499_999];
    for (const k of bad) records[k + 1] = `${k},x,1,EXTRA`;
    const err = await malformed('wide.csv', records.join('\n') + '\n');
    bad.forEach((k, i) =>
      assert.ok(err.message.includes(`wide.csv:${2 + 2 * k - i}: expected 3 fields, found 4`), err.message),
    );
  });

  it('reads line numbers from a gzip file', async () => {
    const err = await malformed('bad.csv.gz', gzipSync('a,b\n"x\ny",1\n2,3,4\n'));
    assert.ok(err.message.includes('bad.csv.gz:4: '), err.message);
  });
});

describe('quarantine', () => {
  it('sets bad rows aside, counts them, writes them with lines and reasons', async () => {
    const content = 'id,name,n\n1,a,1\n2,b,2,extra\n3,"c\nc",3\n4,d\n5,e,5\n';
    const t = await discoverOne('orders.csv', content, { quarantine: true });
    assert.equal(t.rows, 3);
    assert.equal(t.details?.quarantined, 2);
    assert.deepEqual(
      (await readRows(t, 'id', 'ORDER BY id')).map((r) => r.id),
      [1, 3, 5],
    );
    const file = String(t.details?.quarantineFile);
    assert.ok(file.endsWith('/quarantine/orders.csv'), file);
    assert.equal(
      readFileSync(file, 'utf8'),
      'line,reason,row\n3,"expected 3 fields, found 4","2,b,2,extra"\n6,"expected 3 fields, found 2","4,d"\n',
    );
  });

  it('records zero when nothing is wrong', async () => {
    const t = await discoverOne('fine.csv', 'a,b\n1,2\n', { quarantine: true });
    assert.equal(t.details?.quarantined, 0);
    assert.equal(t.rows, 1);
  });
});
