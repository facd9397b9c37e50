import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';

/**
 * A credential that lets concurrent callers share one token request. The graph client asks for a
 * token on every request and MSAL only caches a token once it has one, so a cold snapshot's first
 * burst of requests would each fetch the authority's metadata and a token of their own.
 */
export function coalescedCredential(inner: TokenCredential): TokenCredential {
  const inFlight = new Map<string, Promise<AccessToken | null>>();
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions): Promise<AccessToken | null> {
      const key = JSON.stringify([scopes, options?.claims ?? '', options?.tenantId ?? '', options?.enableCae ?? false]);
      const pending = inFlight.get(key);
      if (pending) return pending;
      const request = inner.getToken(scopes, options).finally(() => inFlight.delete(key));
      inFlight.set(key, request);
      return request;
    },
  };
}
