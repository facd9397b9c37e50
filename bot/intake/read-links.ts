import type { ParsedAlert } from './alert.js';
import { field, type Fields } from './case-insensitive.js';
import { cleanLink } from './clean-link.js';
import { putDefined } from './put-defined.js';

/**
 * Search-result links. V2 alerts put them on each `condition.allOf[]` entry in camelCase; V1 alerts
 * put them on the alertContext in PascalCase, with `LinkToSearchResults` as the portal link. The
 * first source that carries a given link wins. The portal link prefers the dimension-filtered view.
 */
export function readLinks(sources: readonly Fields[]): ParsedAlert['links'] {
  const first = (...names: string[]): string | undefined => {
    for (const source of sources) {
      const link = cleanLink(field(source, ...names));
      if (link !== undefined) return link;
    }
    return undefined;
  };
  const links: ParsedAlert['links'] = {};
  putDefined(links, 'searchResults', first('linkToSearchResultsAPI'));
  putDefined(links, 'filteredSearchResults', first('linkToFilteredSearchResultsAPI'));
  putDefined(
    links,
    'portal',
    first('linkToFilteredSearchResultsUI') ?? first('linkToSearchResultsUI', 'linkToSearchResults'),
  );
  return links;
}
