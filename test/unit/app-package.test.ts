import { readFileSync } from 'node:fs';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  assemblePackage,
  checkIcons,
  COLOR_ICON,
  fillTemplate,
  OUTLINE_ICON,
  outlinePixelCounts,
  readPackageInput,
  TEAMS_LIMITS,
  templateValues,
  validateManifest,
} from '../../appPackage/package-lib.js';
import { parseCommand } from '../../bot/teams/commands.js';

const APP_PACKAGE = new URL('../../appPackage/', import.meta.url);
const TEMPLATE = readFileSync(new URL('manifest.template.json', APP_PACKAGE), 'utf8');
const COLOR = readFileSync(new URL(COLOR_ICON.file, APP_PACKAGE));
const OUTLINE = readFileSync(new URL(OUTLINE_ICON.file, APP_PACKAGE));

const APP_ID = '1b2c3d4e-0000-4000-8000-0123456789ab';
const DOMAIN = 'glasswatch.example.net';
const GOOD_ENV = { MICROSOFT_APP_ID: APP_ID, BOT_DOMAIN: DOMAIN };

/** The chat commands of DESIGN.md ("Teams"), as the titles a user picks from the command menu. */
const DESIGN_COMMANDS = [
  'help',
  'bind',
  'status',
  'signins',
  'incidents',
  'drill schedule',
  'drill start',
  'drill status',
  'drill end',
  'checklist',
];

interface Command {
  title: string;
  description: string;
}
interface ManifestView {
  id: string;
  validDomains: string[];
  bots: { botId: string; scopes: string[]; commandLists: { scopes: string[]; commands: Command[] }[] }[];
}

function filled(): { text: string; manifest: unknown } {
  const result = fillTemplate(TEMPLATE, templateValues({ appId: APP_ID, botDomain: DOMAIN }, '1.2.3'));
  if (!result.ok) throw new Error(`template did not fill: ${result.problems.join('; ')}`);
  return result;
}

/** A fresh, typed copy to read or break; the shape is what the schema test below guarantees. */
function manifestCopy(): ManifestView {
  const parsed: ManifestView = JSON.parse(filled().text);
  return parsed;
}

function commandList(scope: string): Command[] {
  const list = manifestCopy().bots[0]?.commandLists.find((l) => l.scopes.includes(scope));
  if (list === undefined) throw new Error(`no command list for scope ${scope}`);
  return list.commands;
}

function outlineWith(paint: (data: Buffer, index: number) => void): Buffer {
  const png = PNG.sync.read(OUTLINE);
  for (let i = 0; i < png.data.length; i += 4) paint(png.data, i);
  return PNG.sync.write(png);
}

describe('the manifest against the schema bundled in @microsoft/app-manifest', () => {
  const offline = vi.fn(() => Promise.reject(new Error('network used during validation')));
  beforeEach(() => {
    vi.stubGlobal('fetch', offline);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    offline.mockClear();
  });

  it('validates, offline', async () => {
    expect(await validateManifest(filled().manifest)).toEqual([]);
    expect(offline).not.toHaveBeenCalled();
  });

  it('is on schema 1.30, the newest the package bundles', () => {
    expect(filled().manifest).toMatchObject({
      $schema: 'https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json',
      manifestVersion: '1.30',
    });
  });

  it('rejects a deliberately broken copy: bad bot id, missing developer, unknown scope', async () => {
    const broken: Record<string, unknown> = { ...manifestCopy() };
    const view = manifestCopy();
    const bot = view.bots[0];
    if (bot === undefined) throw new Error('no bot');
    broken.bots = [{ ...bot, botId: 'not-a-guid', scopes: ['team', 'everywhere'] }];
    delete broken.developer;

    const problems = await validateManifest(broken);
    expect(problems.some((p) => p.includes('/bots/0/botId') && p.includes('pattern'))).toBe(true);
    expect(problems.some((p) => p.includes('developer'))).toBe(true);
    expect(problems.some((p) => p.includes('/bots/0/scopes/1'))).toBe(true);
    expect(offline).not.toHaveBeenCalled();
  });

  it('rejects a manifest version the package bundles no schema for', async () => {
    const problems = await validateManifest({ ...manifestCopy(), manifestVersion: '9.99' });
    expect(problems).toEqual([expect.stringContaining('bundles no schema for manifestVersion 9.99')]);
  });

  it('applies the Teams limits the schema leaves looser: 10 commands a list, short titles and descriptions', async () => {
    const view = manifestCopy();
    const list = view.bots[0]?.commandLists[0];
    if (list === undefined) throw new Error('no command list');
    list.commands = [
      ...list.commands,
      { title: 'x'.repeat(TEAMS_LIMITS.commandTitle + 1), description: 'y'.repeat(TEAMS_LIMITS.commandDescription + 1) },
    ];
    const problems = await validateManifest(view);
    expect(problems).toEqual([
      expect.stringContaining(`11 commands, Teams shows at most ${TEAMS_LIMITS.commandsPerList}`),
      expect.stringContaining('/commands/10/title: longer than 32'),
      expect.stringContaining('/commands/10/description: longer than 128'),
    ]);
  });
});

describe('the commands', () => {
  it.each(['team', 'personal'])('the %s list has every DESIGN.md command, in order', (scope) => {
    expect(commandList(scope).map((c) => c.title)).toEqual(DESIGN_COMMANDS);
  });

  it('the bot is installable in a team and in personal chat, as a conversational bot without files', () => {
    expect(manifestCopy().bots).toEqual([
      expect.objectContaining({ botId: APP_ID, scopes: ['team', 'personal'], supportsFiles: false, isNotificationOnly: false }),
    ]);
  });

  it.each(['team', 'personal'])('every %s command title is one the bot parses, not "unknown"', (scope) => {
    for (const command of commandList(scope)) {
      const parsed = parseCommand(command.title);
      expect(parsed.name).toBe(command.title.split(' ')[0]);
    }
  });

  it('the descriptions of commands with arguments show the syntax', () => {
    const byTitle = new Map(commandList('team').map((c) => [c.title, c.description]));
    expect(byTitle.get('signins')).toContain('signins [upn] [days]');
    expect(byTitle.get('drill schedule')).toContain('drill schedule <date | every N days>');
    expect(byTitle.get('drill start')).toContain('drill start [upn]');
  });
});

describe('the template', () => {
  it('fills every placeholder: app id, bot id, domain, version', () => {
    const { text } = filled();
    expect(text).not.toContain('${{');
    const view = manifestCopy();
    expect(view.id).toBe(APP_ID);
    expect(view.bots[0]?.botId).toBe(APP_ID);
    expect(view.validDomains).toEqual([DOMAIN]);
    expect(filled().manifest).toMatchObject({ version: '1.2.3' });
  });

  it('names a placeholder it has no value for instead of leaving it in', () => {
    const result = fillTemplate(TEMPLATE, { MICROSOFT_APP_ID: APP_ID });
    expect(result).toEqual({ ok: false, problems: expect.arrayContaining([expect.stringContaining('${{BOT_DOMAIN}}')]) });
  });

  it('uses exactly the placeholders the package script fills', () => {
    const used = new Set([...TEMPLATE.matchAll(/\$\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual(Object.keys(templateValues({ appId: APP_ID, botDomain: DOMAIN }, '1.0.0')).sort());
  });
});

describe('the icons', () => {
  it('are the sizes Teams needs: colour 192×192, outline 32×32', () => {
    expect(PNG.sync.read(COLOR)).toMatchObject({ width: 192, height: 192 });
    expect(PNG.sync.read(OUTLINE)).toMatchObject({ width: 32, height: 32 });
    expect(checkIcons(COLOR, OUTLINE)).toEqual([]);
  });

  it('the outline is only white and transparent pixels, with a transparent background', () => {
    const counts = outlinePixelCounts(PNG.sync.read(OUTLINE));
    expect(counts.other).toBe(0);
    expect(counts.transparent).toBeGreaterThan(32 * 32 * 0.3);
    expect(counts.white).toBeGreaterThan(0);
    const corner = PNG.sync.read(OUTLINE).data[3];
    expect(corner).toBe(0);
  });

  it('the colour icon is opaque (a solid background)', () => {
    const { data } = PNG.sync.read(COLOR);
    const alphas = new Set<number>();
    for (let i = 3; i < data.length; i += 4) alphas.add(data[i] ?? -1);
    expect([...alphas]).toEqual([255]);
  });

  it('refuses an outline with coloured pixels, without transparency or empty, swapped icons and non-PNG bytes', () => {
    const tinted = outlineWith((data, i) => {
      if (data[i + 3] !== 0) data[i] = 200;
    });
    expect(checkIcons(COLOR, tinted)).toEqual([expect.stringContaining('neither white nor transparent')]);

    const filledIn = outlineWith((data, i) => {
      data.fill(255, i, i + 4);
    });
    expect(checkIcons(COLOR, filledIn)).toEqual([expect.stringContaining('no transparent pixel')]);

    const empty = outlineWith((data, i) => {
      data[i + 3] = 0;
    });
    expect(checkIcons(COLOR, empty)).toEqual([expect.stringContaining('every pixel is transparent')]);

    expect(checkIcons(OUTLINE, COLOR)).toEqual(
      expect.arrayContaining([expect.stringContaining('color.png: 32×32, Teams needs 192×192'), expect.stringContaining('outline.png: 192×192')]),
    );
    expect(checkIcons(Buffer.from('not a png'), OUTLINE)).toEqual([expect.stringContaining('color.png is not a readable PNG')]);
  });
});

describe('the input from the environment', () => {
  it('accepts MICROSOFT_APP_ID, or the bot\'s own MicrosoftAppId, and a bare host name', () => {
    expect(readPackageInput(GOOD_ENV)).toEqual({ ok: true, input: { appId: APP_ID, botDomain: DOMAIN } });
    expect(readPackageInput({ MicrosoftAppId: APP_ID.toUpperCase(), BOT_DOMAIN: 'Bot.Example.NET' })).toEqual({
      ok: true,
      input: { appId: APP_ID, botDomain: 'bot.example.net' },
    });
  });

  it('names both variables when they are missing or blank', () => {
    const result = readPackageInput({ MICROSOFT_APP_ID: '  ' });
    expect(result).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^MICROSOFT_APP_ID is not set: .*MicrosoftAppId/), expect.stringMatching(/^BOT_DOMAIN is not set: /)],
    });
  });

  it.each([
    [{ ...GOOD_ENV, MICROSOFT_APP_ID: 'glasswatch-bot' }, /^MICROSOFT_APP_ID="glasswatch-bot" is not a GUID/],
    [{ MicrosoftAppId: '1234', BOT_DOMAIN: DOMAIN }, /^MicrosoftAppId="1234" is not a GUID/],
    [{ ...GOOD_ENV, MicrosoftAppId: '00000000-0000-0000-0000-000000000001' }, /^MICROSOFT_APP_ID=.* and MicrosoftAppId=.* differ/],
    [{ ...GOOD_ENV, BOT_DOMAIN: 'https://glasswatch.example.net' }, /^BOT_DOMAIN=.* has a scheme: drop "https:\/\/"/],
    [{ ...GOOD_ENV, BOT_DOMAIN: 'glasswatch.example.net/api/messages' }, /^BOT_DOMAIN=.* has a path/],
    [{ ...GOOD_ENV, BOT_DOMAIN: 'glasswatch.example.net:8443' }, /^BOT_DOMAIN=.* has a port/],
    [{ ...GOOD_ENV, BOT_DOMAIN: 'localhost' }, /^BOT_DOMAIN=.* is not a fully qualified host name/],
    [{ ...GOOD_ENV, BOT_DOMAIN: 'bad_host.example.net' }, /^BOT_DOMAIN=.* is not a valid host name/],
    [{ ...GOOD_ENV, BOT_DOMAIN: '*.example.net' }, /^BOT_DOMAIN=.* has a wildcard/],
  ])('refuses %o, naming the variable', (env, message) => {
    const result = readPackageInput(env);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems).toEqual([expect.stringMatching(message)]);
  });
});

describe('assemblePackage', () => {
  const sources = { template: TEMPLATE, version: '0.1.0', color: COLOR, outline: OUTLINE };

  it('exit code 2 for bad input, 1 for an invalid package', async () => {
    expect(await assemblePackage({}, sources)).toMatchObject({ ok: false, exitCode: 2 });
    expect(await assemblePackage(GOOD_ENV, { ...sources, version: '0.1.0-beta' })).toMatchObject({ ok: false, exitCode: 2 });
    const broken = TEMPLATE.replace('"accentColor": "#0B3D5C"', '"accentColor": "teal"');
    expect(await assemblePackage(GOOD_ENV, { ...sources, template: broken })).toMatchObject({
      ok: false,
      exitCode: 1,
      problems: [expect.stringContaining('/accentColor')],
    });
    expect(await assemblePackage(GOOD_ENV, { ...sources, outline: COLOR })).toMatchObject({ ok: false, exitCode: 1 });
  });

  it('is deterministic: the same inputs give the same zip bytes', async () => {
    const first = await assemblePackage(GOOD_ENV, sources);
    const second = await assemblePackage(GOOD_ENV, sources);
    expect(first.ok && second.ok).toBe(true);
    if (first.ok && second.ok) expect(Buffer.from(first.zip).equals(Buffer.from(second.zip))).toBe(true);
  });
});
