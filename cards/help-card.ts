import { adaptiveCard, type AdaptiveCard, type AdaptiveElement } from './adaptive-card.js';
import { safeText } from './format.js';

export interface HelpCardModel {
  commands: { usage: string; description: string }[];
  note?: string;
  demo?: boolean;
}

const MAX_COMMANDS = 30;

/** The answer to `help` and to any command the bot does not know. */
export function renderHelpCard(vm: HelpCardModel): AdaptiveCard {
  const body: AdaptiveElement[] = [
    { type: 'TextBlock', text: 'Glasswatch commands', size: 'medium', weight: 'bolder', wrap: true },
    {
      type: 'TextBlock',
      text: 'Type a command in a personal chat, or @mention Glasswatch in a channel. The leading / is optional.',
      wrap: true,
      isSubtle: true,
      spacing: 'small',
    },
  ];
  if (vm.demo) {
    body.push({ type: 'TextBlock', text: 'Local mode: answers use the bundled demo tenant.', wrap: true, color: 'accent', spacing: 'small' });
  }
  for (const command of vm.commands.slice(0, MAX_COMMANDS)) {
    // Usages hold "[upn]" and "<date>": escaped like any text, so they show as typed.
    body.push({
      type: 'Container',
      spacing: 'medium',
      items: [
        { type: 'TextBlock', text: safeText(command.usage, 100), fontType: 'monospace', weight: 'bolder', wrap: true },
        { type: 'TextBlock', text: safeText(command.description, 300), wrap: true, spacing: 'none' },
      ],
    });
  }
  if (vm.note) body.push({ type: 'TextBlock', text: safeText(vm.note, 500), wrap: true, isSubtle: true, spacing: 'large' });
  return adaptiveCard(body);
}
