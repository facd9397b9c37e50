import { channelMessage, postActivity, type PostResult } from '../fakes/activities.js';

/** One Teams team with an alert channel, a responder and the bot, as the tests' fixed cast. */
export const SCENE = {
  teamId: '19:team-glasswatch@thread.tacv2',
  channelId: '19:emergency-access-alerts@thread.tacv2',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  botId: '28:glasswatch-bot',
  botName: 'Glasswatch',
  responder: { id: '29:ada', aadObjectId: '00000000-0000-0000-0000-00000000ada1', name: 'Ada Lovelace' },
  bystander: { id: '29:eve', aadObjectId: '00000000-0000-0000-0000-0000000000e5', name: 'Eve Example' },
} as const;

export function sayInChannel(botUrl: string, serviceUrl: string, text: string, from: { id: string; aadObjectId: string; name: string } = SCENE.responder): Promise<PostResult> {
  return postActivity(
    botUrl,
    channelMessage({
      text,
      serviceUrl,
      teamId: SCENE.teamId,
      channelId: SCENE.channelId,
      tenantId: SCENE.tenantId,
      from,
      botId: SCENE.botId,
      botName: SCENE.botName,
    }),
  );
}
