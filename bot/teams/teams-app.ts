import { Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import { CardFactory, MessageFactory, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type { AdaptiveCard } from '../../cards/adaptive-card.js';
import { CARD_VERBS, isDrillAction, parseActionData } from '../../cards/card-actions.js';
import { renderHelpCard } from '../../cards/help-card.js';
import { renderIncidentsCard } from '../../cards/incidents-card.js';
import { renderNoticeCard } from '../../cards/text-card.js';
import type { Config } from '../config.js';
import { handleCardAction, type CardActionDeps } from './card-action-route.js';
import { checklistCommand, drillAction, drillCommand, type DrillRouteDeps } from './drill-routes.js';
import { incidentsView } from './incidents-view.js';
import { signInsAnswer, statusAnswer, type PostureRouteDeps } from './posture-routes.js';
import { actorOf, mayAct } from './responders.js';
import { COMMANDS, parseCommand } from './commands.js';
import { readTurn } from './read-turn.js';
import { tenantAllowed } from './tenant-allowed.js';

export interface TeamsAppDeps extends CardActionDeps {
  adapter: TeamsAdapter;
  config: Pick<Config, 'mode' | 'responders' | 'allowedTenants' | 'bot'>;
  logger: Logger;
  /** Called when the alert channel changes, so waiting deliveries go out. */
  onChannelBound: () => void;
  posture: PostureRouteDeps;
  drills: DrillRouteDeps;
}

/** The teams-ai Application: thin routes that parse the activity, call the core, render, send. */
export function createTeamsApp(deps: TeamsAppDeps): Application<TurnState> {
  const { logger, config } = deps;
  const app = new Application<TurnState>({
    adapter: deps.adapter,
    botAppId: config.bot?.appId ?? '',
    removeRecipientMention: true,
    startTypingTimer: false,
    longRunningMessages: false,
  });

  // The SDK checks the caller's token but not the tenant: outside local mode only allowed tenants get in.
  app.turn('beforeTurn', async (context) => {
    const tenantId = readTurn(context).tenantId;
    if (tenantAllowed(config, tenantId)) return true;
    logger.warn({ tenantId: tenantId ?? 'none', type: context.activity.type }, 'activity from a tenant that is not allowed; ignored');
    return false;
  });

  app.activity('message', async (context) => {
    const command = parseCommand(context.activity.text);
    switch (command.name) {
      case 'help':
        return reply(context, helpCard());
      case 'bind':
        return bind(context, deps);
      case 'unknown':
        return reply(context, helpCard(`I don't know "${command.text}". Here is what I can do:`));
      case 'incidents':
        return reply(context, await incidentsCard(deps));
      case 'status':
        return reply(context, await statusAnswer(deps.posture));
      case 'signins':
        return reply(context, await signInsAnswer(deps.posture, command.args));
      case 'drill': {
        for (const card of await drillCommand(deps.drills, context, command.args)) await reply(context, card);
        return;
      }
      case 'checklist':
        return reply(context, await checklistCommand(deps.drills));
      default: {
        const unreachable: never = command;
        return unreachable;
      }
    }
  });

  for (const verb of CARD_VERBS) {
    app.adaptiveCards.actionExecute(verb, async (context, _state, data) => {
      const parsed = parseActionData(verb, data);
      if (!parsed.ok) return parsed.message;
      if (isDrillAction(parsed.action)) return drillAction(deps.drills, context, parsed.action);
      return handleCardAction(deps, context, parsed.action);
    });
  }

  app.error(async (context, error) => {
    logger.error({ err: error, type: context.activity.type }, 'turn failed');
  });

  return app;
}

function helpCard(note?: string): AdaptiveCard {
  return renderHelpCard({
    commands: COMMANDS.map(({ usage, description }) => ({ usage: `/breakglass ${usage}`, description })),
    note,
  });
}

async function reply(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}

async function bind(context: TurnContext, deps: TeamsAppDeps): Promise<void> {
  const turn = readTurn(context);
  if (turn.conversationType !== 'channel' || !turn.channelId) {
    return reply(
      context,
      renderNoticeCard({ title: 'Bind in a channel', lines: ['Type "@Glasswatch bind" in the Teams channel that should receive break-glass alerts.'], tone: 'warning' }),
    );
  }
  const actor = actorOf(turn);
  if (!mayAct(deps.config, turn)) {
    deps.logger.warn({ userAadId: turn.userAadId ?? 'none' }, 'bind refused: not a responder');
    await deps.store.appendAudit({
      kind: 'action.refused',
      at: deps.now().toISOString(),
      actor,
      data: { command: 'bind', code: 'not-a-responder', channelId: turn.channelId },
    });
    return reply(
      context,
      renderNoticeCard({ title: 'Only responders can bind the alert channel', lines: ['Ask an admin to add your Entra object id to GLASSWATCH_RESPONDERS.'], tone: 'attention' }),
    );
  }
  const boundAt = deps.now().toISOString();
  await deps.store.setAlertChannel({
    serviceUrl: turn.serviceUrl,
    channelId: turn.channelId,
    teamId: turn.teamId,
    tenantId: turn.tenantId,
    boundBy: actor,
    boundAt,
  }, deps.now().getTime(), {
    kind: 'channel.bound',
    at: boundAt,
    actor,
    data: { channelId: turn.channelId, teamId: turn.teamId, tenantId: turn.tenantId },
  });
  deps.logger.info({ channelId: turn.channelId, teamId: turn.teamId ?? 'unknown' }, 'alert channel bound');
  deps.onChannelBound();
  return reply(
    context,
    renderNoticeCard({
      title: 'This channel is now the alert channel',
      lines: [`Break-glass alerts will be posted here. Bound by ${turn.userName}.`],
      tone: 'good',
    }),
  );
}

async function incidentsCard(deps: TeamsAppDeps): Promise<AdaptiveCard> {
  const open = await deps.store.listOpenIncidents();
  return renderIncidentsCard(incidentsView(open, deps.now()));
}
