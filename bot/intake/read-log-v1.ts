import type { SignInDetails } from './alert.js';
import { field, fieldsOf } from './case-insensitive.js';
import type { ContextReading } from './context-reading.js';
import { newestFirst } from './newest-first.js';
import { readDimensions } from './read-dimensions.js';
import { readLinks } from './read-links.js';
import { readResultRows } from './read-result-rows.js';
import { readSignIn } from './read-sign-in.js';

/**
 * V1 log alerts ("Log Analytics", "Application Insights") embed the query's rows in
 * `SearchResults` (spelled `SearchResult` in older samples), one sign-in per row. Rows are left out
 * when the alert would pass 256 KB (`IncludedSearchResults: "False"`); the flag is not trusted, the
 * rows are simply read when present, and without rows the `Dimensions` still name the account.
 */
export function readLogV1(alertContext: unknown): ContextReading {
  const context = fieldsOf(alertContext);
  const rows = readResultRows(field(context, 'SearchResults', 'SearchResult'));
  const fromRows = rows.map(readSignIn).filter((signIn): signIn is SignInDetails => signIn !== undefined);
  const fromDimensions = readSignIn(readDimensions([field(context, 'Dimensions')]));
  const signIns = fromRows.length > 0 || fromDimensions === undefined ? fromRows : [fromDimensions];
  return { signIns: newestFirst(signIns), links: readLinks([context]) };
}
