import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AppManifestUtils, type AppManifest } from '@microsoft/app-manifest';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { z } from 'zod';

/**
 * The pure parts of `npm run package`: environment → checked input, template → manifest, manifest →
 * schema and Teams-rule problems, icons → problems, files → zip. build-package.ts does the I/O.
 */

export type Env = Record<string, string | undefined>;

export interface PackageInput {
  appId: string;
  botDomain: string;
}

export type InputResult = { ok: true; input: PackageInput } | { ok: false; problems: string[] };

export type FillResult = { ok: true; text: string; manifest: unknown } | { ok: false; problems: string[] };

export interface IconSpec {
  file: string;
  width: number;
  height: number;
}

export const MANIFEST_FILE = 'manifest.json';
export const COLOR_ICON: IconSpec = { file: 'color.png', width: 192, height: 192 };
export const OUTLINE_ICON: IconSpec = { file: 'outline.png', width: 32, height: 32 };

/** Limits Teams enforces on upload that the JSON schema leaves looser (the schema allows 12 commands and 128-character titles). */
export const TEAMS_LIMITS = { commandsPerList: 10, commandTitle: 32, commandDescription: 128 } as const;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** Reads the bot's app id and domain; every problem names its variable and the fix. */
export function readPackageInput(env: Env): InputResult {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };

  const upper = get('MICROSOFT_APP_ID');
  const botbuilder = get('MicrosoftAppId');
  const appIdName = upper !== undefined ? 'MICROSOFT_APP_ID' : 'MicrosoftAppId';
  const appId = upper ?? botbuilder;
  if (appId === undefined) {
    problems.push(
      'MICROSOFT_APP_ID is not set: set it (or MicrosoftAppId, the bot\'s own variable) to the bot\'s Microsoft App ID, the GUID of its Entra app registration (Azure Bot resource → Configuration).',
    );
  } else if (!GUID.test(appId)) {
    problems.push(
      `${appIdName}=${quote(appId)} is not a GUID: set it to the bot's Microsoft App ID, like 00000000-0000-0000-0000-000000000000 (Azure Bot resource → Configuration).`,
    );
  } else if (upper !== undefined && botbuilder !== undefined && upper.toLowerCase() !== botbuilder.toLowerCase()) {
    problems.push(
      `MICROSOFT_APP_ID=${quote(upper)} and MicrosoftAppId=${quote(botbuilder)} differ: the manifest's bot id must be the id the bot runs with; unset one or make them equal.`,
    );
  }

  const botDomain = get('BOT_DOMAIN');
  if (botDomain === undefined) {
    problems.push(
      'BOT_DOMAIN is not set: set it to the host name the bot is reached at, without scheme or path, e.g. BOT_DOMAIN=glasswatch.azurewebsites.net.',
    );
  } else {
    const hostProblem = describeBadHost(botDomain);
    if (hostProblem !== undefined) problems.push(`BOT_DOMAIN=${quote(botDomain)} ${hostProblem}`);
  }

  if (problems.length > 0 || appId === undefined || botDomain === undefined) return { ok: false, problems };
  return { ok: true, input: { appId: appId.toLowerCase(), botDomain: botDomain.toLowerCase() } };
}

/** Undefined for a bare DNS host name; otherwise what is wrong and how to fix it. */
function describeBadHost(value: string): string | undefined {
  const fix = 'set it to the bare host name, e.g. glasswatch.azurewebsites.net.';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return `has a scheme: drop "${value.slice(0, value.indexOf('://') + 3)}" and ${fix}`;
  if (/[/?#]/.test(value)) return `has a path: ${fix}`;
  if (value.includes(':')) return `has a port: Teams reaches bots on 443 only, so drop it and ${fix}`;
  if (value.includes('*')) return `has a wildcard: the bot has one host, so ${fix}`;
  if (value.length > 253) return `is longer than a host name may be (253): ${fix}`;
  const labels = value.split('.');
  if (labels.length < 2) return `is not a fully qualified host name: ${fix}`;
  if (!labels.every((label) => HOST_LABEL.test(label))) return `is not a valid host name (letters, digits and hyphens between dots): ${fix}`;
  return undefined;
}

function quote(value: string): string {
  // The values come from the operator's environment; bound them so a stray secret or blob stays short.
  return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
}

/** The values for the template's placeholders. */
export function templateValues(input: PackageInput, version: string): Record<string, string> {
  return { MICROSOFT_APP_ID: input.appId, BOT_DOMAIN: input.botDomain, APP_VERSION: version };
}

/** Replaces every `${{NAME}}`; a placeholder without a value is a problem, never left in the output. */
export function fillTemplate(template: string, values: Record<string, string>): FillResult {
  const missing = new Set<string>();
  const text = template.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) {
      missing.add(name);
      return whole;
    }
    // The template is JSON and placeholders sit inside strings: escape as a JSON string body.
    return JSON.stringify(value).slice(1, -1);
  });
  if (missing.size > 0) {
    return { ok: false, problems: [...missing].map((name) => `the template's placeholder \${{${name}}} has no value`) };
  }
  try {
    return { ok: true, text, manifest: JSON.parse(text) };
  } catch (error) {
    return { ok: false, problems: [`the filled template is not JSON: ${error instanceof Error ? error.message : String(error)}`] };
  }
}

const packageRequire = createRequire(import.meta.url);

/** The schema for a manifestVersion, read from the copies bundled in @microsoft/app-manifest (no network). */
export function loadBundledSchema(manifestVersion: string): { ok: true; schema: object; path: string } | { ok: false; problem: string } {
  if (!/^(?:\d+\.\d+|devPreview)$/.test(manifestVersion)) {
    return { ok: false, problem: `manifestVersion ${quote(manifestVersion)} is not a schema version like "1.30"` };
  }
  const folder = manifestVersion === 'devPreview' ? 'vDevPreview' : `v${manifestVersion}`;
  const buildDir = dirname(packageRequire.resolve('@microsoft/app-manifest'));
  const path = join(buildDir, 'json-schemas', 'teams', folder, 'MicrosoftTeams.schema.json');
  if (!existsSync(path)) {
    return { ok: false, problem: `@microsoft/app-manifest bundles no schema for manifestVersion ${manifestVersion}: pick a version under ${join(buildDir, 'json-schemas', 'teams')}` };
  }
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) return { ok: false, problem: `${path} is not a JSON schema` };
  return { ok: true, schema: parsed, path };
}

type ManifestSchema = NonNullable<Parameters<typeof AppManifestUtils.validateAgainstSchema>[1]>;

/**
 * Schema problems (ajv, through AppManifestUtils.validateAgainstSchema with the bundled schema passed
 * in, so it never fetches), then the Teams limits the schema does not express. Empty means valid.
 */
export async function validateManifest(manifest: unknown): Promise<string[]> {
  const version = readManifestVersion(manifest);
  if (version === undefined) return ['manifestVersion is missing: the manifest must name its schema version'];
  const loaded = loadBundledSchema(version);
  if (!loaded.ok) return [loaded.problem];
  // The library types both arguments as known manifest shapes; deciding whether this is one is the point of the call.
  const schemaProblems = await AppManifestUtils.validateAgainstSchema(manifest as AppManifest, loaded.schema as ManifestSchema);
  if (schemaProblems.length > 0) return schemaProblems.map((problem) => `schema ${version}: ${problem.trim()}`);
  return checkTeamsLimits(manifest);
}

function readManifestVersion(manifest: unknown): string | undefined {
  const parsed = z.object({ manifestVersion: z.string() }).safeParse(manifest);
  return parsed.success ? parsed.data.manifestVersion : undefined;
}

const botsShape = z.object({
  bots: z
    .array(
      z.object({
        scopes: z.array(z.string()),
        commandLists: z
          .array(z.object({ scopes: z.array(z.string()), commands: z.array(z.object({ title: z.string(), description: z.string().optional() })) }))
          .optional(),
      }),
    )
    .optional(),
});

/** Rules Teams applies on upload beyond the schema; run after the schema passed. */
export function checkTeamsLimits(manifest: unknown): string[] {
  const parsed = botsShape.safeParse(manifest);
  if (!parsed.success) return [`bots: unexpected shape (${parsed.error.issues[0]?.message ?? 'invalid'})`];
  const problems: string[] = [];
  for (const [b, bot] of (parsed.data.bots ?? []).entries()) {
    const lists = bot.commandLists ?? [];
    for (const [l, list] of lists.entries()) {
      const where = `/bots/${b}/commandLists/${l}`;
      if (list.commands.length > TEAMS_LIMITS.commandsPerList) {
        problems.push(`${where}: ${list.commands.length} commands, Teams shows at most ${TEAMS_LIMITS.commandsPerList} per list`);
      }
      for (const [c, command] of list.commands.entries()) {
        if (command.title.length > TEAMS_LIMITS.commandTitle) {
          problems.push(`${where}/commands/${c}/title: longer than ${TEAMS_LIMITS.commandTitle} characters`);
        }
        if ((command.description ?? '').length > TEAMS_LIMITS.commandDescription) {
          problems.push(`${where}/commands/${c}/description: longer than ${TEAMS_LIMITS.commandDescription} characters`);
        }
      }
      for (const scope of list.scopes) {
        if (!bot.scopes.includes(scope)) problems.push(`${where}: scope ${scope} is not one of the bot's scopes`);
      }
    }
  }
  return problems;
}

/** Decodes a PNG to RGBA pixels, or says why it cannot. */
export function decodePng(name: string, bytes: Uint8Array): { ok: true; png: PNG } | { ok: false; problem: string } {
  try {
    return { ok: true, png: PNG.sync.read(Buffer.from(bytes)) };
  } catch (error) {
    return { ok: false, problem: `${name} is not a readable PNG: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Teams' icon rules: colour 192×192; outline 32×32, white on a transparent background (a pixel is
 * either fully transparent or white at any opacity, so anti-aliased edges pass).
 */
export function checkIcons(color: Uint8Array, outline: Uint8Array): string[] {
  const problems: string[] = [];
  const colorPng = decodePng(COLOR_ICON.file, color);
  if (colorPng.ok) problems.push(...checkSize(COLOR_ICON, colorPng.png));
  else problems.push(colorPng.problem);

  const outlinePng = decodePng(OUTLINE_ICON.file, outline);
  if (!outlinePng.ok) return [...problems, outlinePng.problem];
  problems.push(...checkSize(OUTLINE_ICON, outlinePng.png));
  const pixels = outlinePixelCounts(outlinePng.png);
  if (pixels.other > 0) problems.push(`${OUTLINE_ICON.file}: ${pixels.other} pixels are neither white nor transparent; the outline icon must be white on transparent`);
  if (pixels.transparent === 0) problems.push(`${OUTLINE_ICON.file}: no transparent pixel; the outline icon needs a transparent background`);
  if (pixels.white + pixels.other === 0) problems.push(`${OUTLINE_ICON.file}: every pixel is transparent; the outline icon is empty`);
  return problems;
}

function checkSize(spec: IconSpec, png: PNG): string[] {
  if (png.width === spec.width && png.height === spec.height) return [];
  return [`${spec.file}: ${png.width}×${png.height}, Teams needs ${spec.width}×${spec.height}`];
}

/** Counts the outline's pixels: fully transparent, white (any opacity), anything else. */
export function outlinePixelCounts(png: PNG): { transparent: number; white: number; other: number } {
  const counts = { transparent: 0, white: 0, other: 0 };
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b, a] = [png.data[i], png.data[i + 1], png.data[i + 2], png.data[i + 3]];
    if (a === 0) counts.transparent += 1;
    else if (r === 255 && g === 255 && b === 255) counts.white += 1;
    else counts.other += 1;
  }
  return counts;
}

// A fixed timestamp (local time, as zip stores it) so the same inputs give the same zip bytes.
const ZIP_MTIME = new Date(2000, 0, 1);

/** The app package: manifest.json and the icons at the zip root, as Teams expects. */
export function zipPackage(manifestText: string, color: Uint8Array, outline: Uint8Array): Uint8Array {
  return zipSync(
    {
      [MANIFEST_FILE]: new TextEncoder().encode(manifestText),
      [COLOR_ICON.file]: color,
      [OUTLINE_ICON.file]: outline,
    },
    { level: 9, mtime: ZIP_MTIME },
  );
}

export interface PackageSources {
  template: string;
  version: string;
  color: Uint8Array;
  outline: Uint8Array;
}

export type PackageResult =
  | { ok: true; zip: Uint8Array; manifestText: string }
  | { ok: false; exitCode: 1 | 2; problems: string[] };

/** Environment and sources → the zip, or the problems with exit code 2 (bad input) or 1 (invalid package). */
export async function assemblePackage(env: Env, sources: PackageSources): Promise<PackageResult> {
  const input = readPackageInput(env);
  if (!input.ok) return { ok: false, exitCode: 2, problems: input.problems };
  if (!/^\d+\.\d+\.\d+$/.test(sources.version)) {
    // Teams compares app versions as three numbers; a pre-release tag is refused on upload.
    return { ok: false, exitCode: 2, problems: [`package.json version ${quote(sources.version)} must be three numbers like 1.2.3 for the Teams manifest`] };
  }
  const filled = fillTemplate(sources.template, templateValues(input.input, sources.version));
  if (!filled.ok) return { ok: false, exitCode: 1, problems: filled.problems };
  const problems = [...(await validateManifest(filled.manifest)), ...checkIcons(sources.color, sources.outline)];
  if (problems.length > 0) return { ok: false, exitCode: 1, problems };
  const manifestText = `${JSON.stringify(filled.manifest, null, 2)}\n`;
  return { ok: true, zip: zipPackage(manifestText, sources.color, sources.outline), manifestText };
}
