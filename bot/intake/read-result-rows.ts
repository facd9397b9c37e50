import { asArray, asRecord, field, fieldsOf, type Fields } from './case-insensitive.js';

// Azure embeds at most 1,000 records; the caps bound the work a forged payload can cause.
const MAX_ROWS = 1_000;
const MAX_COLUMNS = 500;

/**
 * The rows of a V1 alert's `SearchResults` (`{tables: [{name, columns: [{name, type}], rows}]}`),
 * each as fields keyed by lower-cased column name. The table named PrimaryResult is preferred;
 * without one, every table is read. Rows that are not arrays are skipped, except rows already
 * shaped as objects (as some forwarders write them), which are read as they are.
 */
export function readResultRows(searchResults: unknown): Fields[] {
  const tables = asArray(field(fieldsOf(searchResults), 'tables')).map(fieldsOf);
  const primary = tables.filter((table) => {
    const name = field(table, 'name');
    return typeof name === 'string' && name.trim().toLowerCase() === 'primaryresult';
  });
  const rows: Fields[] = [];
  for (const table of primary.length > 0 ? primary : tables) {
    const columns = asArray(field(table, 'columns')).slice(0, MAX_COLUMNS).map(columnName);
    for (const row of asArray(field(table, 'rows'))) {
      if (rows.length >= MAX_ROWS) return rows;
      if (Array.isArray(row)) rows.push(rowFields(columns, row));
      else if (asRecord(row) !== undefined) rows.push(fieldsOf(row));
    }
  }
  return rows;
}

function columnName(column: unknown): string | undefined {
  const name = typeof column === 'string' ? column : field(fieldsOf(column), 'name');
  return typeof name === 'string' && name.trim() !== '' ? name.trim().toLowerCase() : undefined;
}

function rowFields(columns: readonly (string | undefined)[], row: readonly unknown[]): Fields {
  const fields = new Map<string, unknown>();
  columns.forEach((name, index) => {
    if (name !== undefined && !fields.has(name)) fields.set(name, row[index]);
  });
  return fields;
}
