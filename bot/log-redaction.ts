/** pino redaction: secrets that could ride along on a logged object never reach a log line. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  'token',
  'query.token',
  'appPassword',
  'config.bot.appPassword',
  'config.webhook.token',
  '*.MicrosoftAppPassword',
  '*.clientSecret',
];
