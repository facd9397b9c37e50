import { startBotChild } from './bot-child.js';
import type { ServerChild } from './server-child.js';

/**
 * Runs the bot as a child process the way a host does, restarting it after a kill. The URL changes
 * with every start (port 0), so senders ask `url` on every attempt.
 */
export class BotSupervisor {
  private bot: ServerChild | undefined;
  private intentional = false;
  /** performance.now() of each kill -9. */
  readonly kills: number[] = [];
  /** Exits nobody asked for (a crash), with the output tail. */
  readonly crashes: string[] = [];
  private lastTail = '';

  constructor(private readonly dataDir: string) {}

  /** The running bot's base URL; undefined while it is down. */
  get url(): string | undefined {
    return this.bot?.url;
  }

  get pid(): number | undefined {
    return this.bot?.pid;
  }

  async start(): Promise<void> {
    if (this.bot !== undefined) throw new Error('the bot is already running');
    // Piped output: the unwritable-store phase limits the bot's file writes, and log lines to a file would fail too.
    const bot = await startBotChild({ dataDir: this.dataDir, output: 'pipe' });
    this.intentional = false;
    this.bot = bot;
    void bot.exited.then(() => {
      this.lastTail = bot.tail();
      if (this.bot === bot) this.bot = undefined;
      if (!this.intentional) this.crashes.push(bot.tail().slice(-2_000));
    });
  }

  /** kill -9, as a host dying does: nothing runs after it, not even a log line. */
  async kill9(): Promise<void> {
    await this.stopWith('SIGKILL');
    this.kills.push(performance.now());
  }

  /** SIGTERM: intake closes, the outbox drains (up to 10 s), the store closes. */
  async stop(): Promise<void> {
    await this.stopWith('SIGTERM');
  }

  /** What the bot wrote last (the current run's, or the last run's after it stopped). */
  tail(): string {
    return this.bot?.tail() ?? this.lastTail;
  }

  private async stopWith(signal: NodeJS.Signals): Promise<void> {
    const bot = this.bot;
    if (bot === undefined) return;
    this.intentional = true;
    this.bot = undefined;
    await bot.kill(signal);
    this.lastTail = bot.tail();
  }
}
