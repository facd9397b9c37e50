import type { TokenCredential } from '@azure/identity';
import {
  AuthenticationHandler,
  Client,
  HTTPMessageHandler,
  RedirectHandler,
  RedirectHandlerOptions,
  RetryHandler,
  RetryHandlerOptions,
  TelemetryHandler,
} from '@microsoft/microsoft-graph-client';
// The package has no `exports` map: under native ESM the subpath needs its file name.
import { TokenCredentialAuthenticationProvider } from '@microsoft/microsoft-graph-client/authProviders/azureTokenCredentials/index.js';
import { coalescedCredential } from './coalesced-credential.js';

export const PUBLIC_GRAPH_ENDPOINT = 'https://graph.microsoft.com';

/** Retry 429/503/504 up to 4 times; Retry-After wins over the 2 s base delay (the handler caps a wait at 180 s). */
const RETRY_DELAY_SECONDS = 2;
const MAX_RETRIES = 4;

/** GRAPH_ENDPOINT reduced to its origin (a path or version someone added is ignored). */
export function graphOrigin(graphEndpoint: string | undefined): string {
  return new URL(graphEndpoint ?? PUBLIC_GRAPH_ENDPOINT).origin;
}

/**
 * The Graph client on v1.0 with the default middleware chain, built by hand so the RetryHandler gets
 * our options. The authentication handler attaches the token only to https URLs whose host is a
 * known Graph host or in `customHosts` (hostnames, without the port), so a national cloud or a test
 * fake must be listed there.
 */
export function createGraphClient(credential: TokenCredential, graphEndpoint?: string): Client {
  const origin = graphOrigin(graphEndpoint);
  const authProvider = new TokenCredentialAuthenticationProvider(coalescedCredential(credential), { scopes: [`${origin}/.default`] });
  return Client.initWithMiddleware({
    middleware: [
      new AuthenticationHandler(authProvider),
      new RetryHandler(new RetryHandlerOptions(RETRY_DELAY_SECONDS, MAX_RETRIES)),
      new RedirectHandler(new RedirectHandlerOptions()),
      new TelemetryHandler(),
      new HTTPMessageHandler(),
    ],
    baseUrl: `${origin}/`,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(origin).hostname]),
  });
}
