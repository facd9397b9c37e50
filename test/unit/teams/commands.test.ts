import { describe, expect, it } from 'vitest';
import { COMMANDS, parseCommand } from '../../../bot/teams/commands.js';

describe('parseCommand', () => {
  it('reads a bare command', () => {
    expect(parseCommand('status')).toEqual({ name: 'status', args: [] });
  });

  it('ignores a leftover @mention tag', () => {
    expect(parseCommand('<at>Glasswatch</at> incidents')).toEqual({ name: 'incidents', args: [] });
    expect(parseCommand('<at>Glasswatch</at>bind')).toEqual({ name: 'bind', args: [] });
  });

  it('accepts a leading slash and the breakglass prefix, with or without slashes', () => {
    expect(parseCommand('/status')).toEqual({ name: 'status', args: [] });
    expect(parseCommand('breakglass status')).toEqual({ name: 'status', args: [] });
    expect(parseCommand('/breakglass status')).toEqual({ name: 'status', args: [] });
    expect(parseCommand('/breakglass /checklist')).toEqual({ name: 'checklist', args: [] });
  });

  it('ignores case in the command and the prefix', () => {
    expect(parseCommand('BreakGlass STATUS')).toEqual({ name: 'status', args: [] });
    expect(parseCommand('Drill Start')).toEqual({ name: 'drill', args: ['Start'] });
  });

  it('treats &nbsp; and runs of whitespace as separators', () => {
    expect(parseCommand('&nbsp;signins&nbsp;bg1@contoso.com  \t 7 ')).toEqual({ name: 'signins', args: ['bg1@contoso.com', '7'] });
    expect(parseCommand('<at>Glasswatch</at>&NBSP;help')).toEqual({ name: 'help', args: [] });
  });

  it('keeps the arguments as typed', () => {
    expect(parseCommand('<at>Glasswatch</at> /breakglass signins BG1@Contoso.com 7')).toEqual({
      name: 'signins',
      args: ['BG1@Contoso.com', '7'],
    });
    expect(parseCommand('drill schedule every 90 days')).toEqual({ name: 'drill', args: ['schedule', 'every', '90', 'days'] });
  });

  it('answers help for an empty message, only a mention, or only the prefix', () => {
    for (const text of [undefined, '', '   ', '<at>Glasswatch</at>', '&nbsp;', 'breakglass', '/breakglass']) {
      expect(parseCommand(text)).toEqual({ name: 'help', args: [] });
    }
  });

  it('reports anything else as unknown, with the cleaned text', () => {
    expect(parseCommand('<at>Glasswatch</at> reboot the tenant')).toEqual({ name: 'unknown', text: 'reboot the tenant' });
    expect(parseCommand('breakglass nope')).toEqual({ name: 'unknown', text: 'breakglass nope' });
  });

  it('cuts the echoed unknown text to 100 characters', () => {
    const result = parseCommand(`x${'y'.repeat(500)}`);
    expect(result.name).toBe('unknown');
    if (result.name !== 'unknown') throw new Error('expected unknown');
    expect(result.text).toHaveLength(100);
  });

  it('recognises every listed command by name', () => {
    for (const command of COMMANDS) expect(parseCommand(command.name)).toEqual({ name: command.name, args: [] });
  });
});
