import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { csvReaderSql, type CsvReadSpec } from './csv-read-spec.js';
import { duckDbDialect } from '../../engine/duckdb/duckdb-dialect.js';

const spec: CsvReadSpec = {
  path: "/data/it's.csv",
  delimiter: ';',
  quote: '"',
  escape: '"',
  header: true,
  skip: 0,
  comment: '',
  columns: [
    { name: 'id', type: 'BIGINT' },
    { name: 'o\'clock "x"', type: 'VARCHAR' },
  ],
  dateFormat: '%d/%m/%Y',
  timestampFormat: null,
  ignoreErrors: false,
};

describe('csvReaderSql', () => {
  it('pins every option so later reads parse exactly as discovery did', () => {
    assert.equal(
      csvReaderSql(spec, duckDbDialect.quoteString),
      `read_csv('/data/it''s.csv', auto_detect=false, delim=';', quote='"', escape='"', header=true, skip=0, ` +
        `columns={'id': 'BIGINT', 'o''clock "x"': 'VARCHAR'}, dateformat='%d/%m/%Y')`,
    );
  });

  it('adds ignore_errors in quarantine mode, and extra arguments last', () => {
    assert.equal(
      csvReaderSql({ ...spec, ignoreErrors: true, comment: '#', dateFormat: null }, duckDbDialect.quoteString, [
        'store_rejects=true',
      ]),
      `read_csv('/data/it''s.csv', auto_detect=false, delim=';', quote='"', escape='"', header=true, skip=0, ` +
        `columns={'id': 'BIGINT', 'o''clock "x"': 'VARCHAR'}, comment='#', ignore_errors=true, store_rejects=true)`,
    );
  });
});
