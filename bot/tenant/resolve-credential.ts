import {
  ClientCertificateCredential,
  ClientSecretCredential,
  DefaultAzureCredential,
  type TokenCredential,
} from '@azure/identity';

/** The environment variables this reads (@azure/identity's own names). */
export interface CredentialEnv {
  AZURE_TENANT_ID?: string;
  AZURE_CLIENT_ID?: string;
  AZURE_CLIENT_SECRET?: string;
  AZURE_CLIENT_CERTIFICATE_PATH?: string;
  AZURE_CLIENT_CERTIFICATE_PASSWORD?: string;
  AZURE_AUTHORITY_HOST?: string;
}

/**
 * Microsoft's own sign-in hosts (public and national clouds). MSAL knows their metadata; for any
 * other host (Azure Stack, a private cloud, a test fake) it would first ask
 * https://login.microsoftonline.com/common/discovery/instance about it, which fails offline and
 * leaks the host name, so instance discovery is turned off for those.
 */
const MICROSOFT_AUTHORITY_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoft.com',
  'login.windows.net',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
  'login.chinacloudapi.cn',
  'login.partner.microsoftonline.cn',
  'login.microsoftonline.de',
]);

/**
 * The read-only identity in the monitored tenant: a client secret or certificate when one is set,
 * otherwise DefaultAzureCredential (workload identity, managed identity, Azure CLI …). undefined
 * when AZURE_TENANT_ID is not set: there is no tenant to read.
 */
export function tenantCredential(env: CredentialEnv): TokenCredential | undefined {
  const tenantId = nonEmpty(env.AZURE_TENANT_ID);
  if (tenantId === undefined) return undefined;
  const clientId = nonEmpty(env.AZURE_CLIENT_ID);
  const authorityHost = nonEmpty(env.AZURE_AUTHORITY_HOST)?.replace(/\/+$/, '');
  const authority = authorityHost === undefined ? {} : { authorityHost, disableInstanceDiscovery: !isMicrosoftAuthority(authorityHost) };

  const secret = nonEmpty(env.AZURE_CLIENT_SECRET);
  if (clientId !== undefined && secret !== undefined) return new ClientSecretCredential(tenantId, clientId, secret, authority);

  const certificatePath = nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PATH);
  if (clientId !== undefined && certificatePath !== undefined) {
    const certificatePassword = nonEmpty(env.AZURE_CLIENT_CERTIFICATE_PASSWORD);
    return new ClientCertificateCredential(
      tenantId,
      clientId,
      certificatePassword === undefined ? { certificatePath } : { certificatePath, certificatePassword },
      authority,
    );
  }

  return new DefaultAzureCredential({
    tenantId,
    ...authority,
    ...(clientId === undefined ? {} : { managedIdentityClientId: clientId, workloadIdentityClientId: clientId }),
  });
}

function isMicrosoftAuthority(authorityHost: string): boolean {
  try {
    return MICROSOFT_AUTHORITY_HOSTS.has(new URL(authorityHost).hostname.toLowerCase());
  } catch {
    // Not a URL: @azure/identity will reject it with its own message; no discovery either way.
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? undefined : trimmed;
}
