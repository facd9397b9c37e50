import { asArray, field, fieldAt, fieldsOf } from './case-insensitive.js';
import type { ContextReading } from './context-reading.js';
import { readDimensions } from './read-dimensions.js';
import { readLinks } from './read-links.js';
import { readSignIn } from './read-sign-in.js';

/**
 * Log search alerts V2 ("Log Alerts V2") carry no result rows, only the dimensions the rule splits
 * by (`condition.allOf[].dimensions`) and links to the results. So one sign-in is built from the
 * dimensions, when they name anything; its `time` stays unset unless a dimension gives it, and the
 * card shows the fired time instead. Enrichment from Log Analytics happens later, elsewhere.
 */
export function readLogV2(alertContext: unknown): ContextReading {
  const conditions = asArray(fieldAt(alertContext, 'condition', 'allOf')).map(fieldsOf);
  const dimensions = readDimensions(conditions.map((condition) => field(condition, 'dimensions')));
  const signIn = readSignIn(dimensions);
  return { signIns: signIn === undefined ? [] : [signIn], links: readLinks(conditions) };
}
