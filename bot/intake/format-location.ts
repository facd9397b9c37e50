import { field, fieldsOf } from './case-insensitive.js';
import { cleanText } from './clean-text.js';
import { parseJsonObject } from './parse-json-object.js';

/**
 * SigninLogs `LocationDetails` is a dynamic column: `{city, state, countryOrRegion, geoCoordinates}`,
 * arriving as an object or as that object serialised to a JSON string. The card wants
 * "City, State, CC", or whatever part is known.
 */
export function formatLocation(value: unknown): string | undefined {
  const fields = fieldsOf(parseJsonObject(value));
  const parts = [field(fields, 'city'), field(fields, 'state'), field(fields, 'countryOrRegion', 'country')]
    .map((part) => cleanText(part, 128))
    .filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join(', ') : undefined;
}
