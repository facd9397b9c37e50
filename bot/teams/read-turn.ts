import type { TurnContext } from 'botbuilder';

/** What the routes need from an incoming activity, read once and typed (channelData is loosely typed). */
export interface TurnFacts {
  serviceUrl: string;
  conversationType?: string;
  conversationId: string;
  channelId?: string;
  teamId?: string;
  tenantId?: string;
  userId: string;
  userAadId?: string;
  userName: string;
}

export function readTurn(context: TurnContext): TurnFacts {
  const activity = context.activity;
  const channelData: unknown = activity.channelData;
  const channelId = stringAt(channelData, 'channel', 'id') ?? stringAt(channelData, 'teamsChannelId');
  return {
    serviceUrl: activity.serviceUrl,
    conversationType: activity.conversation?.conversationType,
    conversationId: activity.conversation?.id ?? '',
    channelId,
    teamId: stringAt(channelData, 'team', 'id') ?? stringAt(channelData, 'teamsTeamId'),
    tenantId: stringAt(channelData, 'tenant', 'id') ?? activity.conversation?.tenantId,
    userId: activity.from?.id ?? '',
    userAadId: activity.from?.aadObjectId,
    userName: (activity.from?.name ?? 'someone').slice(0, 100),
  };
}

function stringAt(value: unknown, ...path: string[]): string | undefined {
  let current: unknown = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = Reflect.get(current, key);
  }
  return typeof current === 'string' && current.length > 0 ? current : undefined;
}
