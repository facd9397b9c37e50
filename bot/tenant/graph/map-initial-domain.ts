import { cleanText } from '../../intake/clean-text.js';
import { arrayField } from './graph-call.js';

/** GET /organization?$select=id,verifiedDomains → the initial *.onmicrosoft.com domain, if listed. */
export function mapInitialDomain(body: unknown): string | undefined {
  const organization = arrayField(body, 'value')[0];
  for (const domain of arrayField(organization, 'verifiedDomains')) {
    if (typeof domain !== 'object' || domain === null) continue;
    const raw = domain as Record<string, unknown>;
    if (raw.isInitial === true) return cleanText(raw.name, 256);
  }
  return undefined;
}
