import type { Logger } from 'pino';
import { renderDrillReminderCard } from '../../cards/drill-card.js';
import type { DrillSettings } from '../config.js';
import { Pump } from '../scheduling/pump.js';
import { Pumped } from '../scheduling/pumped.js';
import type { Store } from '../store/store.js';
import type { TeamsGateway } from '../teams/teams-gateway.js';
import { schedules } from './drill-service.js';
import { markReminderSent, reminderDue } from './schedule.js';

export interface DrillClockDeps {
  store: Store;
  gateway: TeamsGateway;
  settings: DrillSettings;
  accounts: readonly string[];
  now: () => Date;
  logger: Logger;
}

/** Reminders fire at 09:00 local; looking every quarter hour sends each within that. */
const POLL_MS = 15 * 60_000;

/**
 * Posts the drill reminders in the alert channel: before a drill is due, on the day, and once
 * when it is overdue. The schedule records each reminder after it was posted, so a failed post is
 * tried again at the next look and a sent one is never repeated.
 */
export class DrillClock extends Pumped {
  protected readonly pump: Pump;

  constructor(private readonly deps: DrillClockDeps) {
    super();
    this.pump = new Pump({
      name: 'drill-reminders',
      round: () => this.round(),
      nextAt: async () => undefined,
      now: () => deps.now().getTime(),
      logger: deps.logger,
      idlePollMs: POLL_MS,
    });
  }

  private async round(): Promise<boolean> {
    const channel = await this.deps.store.getAlertChannel();
    if (!channel) return false;
    const now = this.deps.now();
    for (const schedule of await schedules(this.deps)) {
      const kind = reminderDue(schedule, now, this.deps.settings.remindBeforeDays);
      if (!kind) continue;
      await this.deps.gateway.postToChannel(channel, renderDrillReminderCard({ account: schedule.account, kind, due: schedule.nextDue }));
      await this.deps.store.saveSchedule(markReminderSent(schedule, kind));
      this.deps.logger.info({ account: schedule.account, kind, due: schedule.nextDue }, 'drill reminder posted');
    }
    return false;
  }
}
