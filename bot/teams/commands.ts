/** The chat commands of DESIGN.md, as typed values. Parsing is pure; routing happens in the app. */
export type CommandName = 'help' | 'bind' | 'status' | 'signins' | 'incidents' | 'drill' | 'checklist';

export type Command = { name: CommandName; args: string[] } | { name: 'unknown'; text: string };

export const COMMANDS: readonly { name: CommandName; usage: string; description: string }[] = [
  { name: 'help', usage: 'help', description: 'What Glasswatch can do here.' },
  { name: 'bind', usage: 'bind', description: 'Make this channel the alert channel (responders only, in a channel).' },
  { name: 'status', usage: 'status', description: 'Posture of every break-glass account.' },
  { name: 'signins', usage: 'signins [upn] [days]', description: 'Recent break-glass sign-ins.' },
  { name: 'incidents', usage: 'incidents', description: 'Open incidents, their state and who is on them.' },
  { name: 'drill', usage: 'drill schedule <date | every N days> · drill start [upn] · drill status · drill end', description: 'The 90-day validation drill.' },
  { name: 'checklist', usage: 'checklist', description: 'The emergency access validation checklist.' },
];

/**
 * "@Glasswatch /breakglass signins bg1@contoso.com 7" → { name: 'signins', args: [...] }.
 * Mentions are removed before this (teams-ai removeRecipientMention), but any leftover <at> tag is
 * stripped too; the leading "/" and the "breakglass" prefix are optional and case is ignored.
 */
export function parseCommand(text: string | undefined): Command {
  const cleaned = (text ?? '')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;/gi, ' ')
    .trim();
  const words = cleaned.split(/\s+/).filter((w) => w.length > 0);
  let first = words.shift()?.replace(/^\//, '').toLowerCase();
  if (first === 'breakglass') first = words.shift()?.replace(/^\//, '').toLowerCase();
  if (first === undefined) return { name: 'help', args: [] };
  const known = COMMANDS.find((c) => c.name === first);
  if (known) return { name: known.name, args: words };
  return { name: 'unknown', text: cleaned.slice(0, 100) };
}
