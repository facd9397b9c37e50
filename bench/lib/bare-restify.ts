/**
 * The ceiling for the intake benchmark: the same restify version and body reader as the bot's
 * /api/alerts, parsing the same JSON and answering 202, but with no auth, no store and no logging.
 * Run as its own process (`tsx bench/lib/bare-restify.ts`), like the bot.
 */
import restify, { type Request, type Response } from 'restify';
import { readBody } from '../../bot/http/read-body.js';

const MAX_BODY = 1024 * 1024;

const server = restify.createServer({ name: 'bare', handleUncaughtExceptions: false });
server.post('/api/alerts', async (req: Request, res: Response) => {
  const body = await readBody(req, MAX_BODY);
  if (body === 'too-large') {
    res.send(413, { error: { code: 'body-too-large', message: 'too large' } });
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    res.send(400, { error: { code: 'invalid-json', message: error instanceof Error ? error.message : 'unparsable' } });
    return;
  }
  const ok = typeof parsed === 'object' && parsed !== null;
  res.send(ok ? 202 : 422, { incidentId: 'bare', outcome: 'created' });
});

server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${address.port}`, msg: 'bare restify listening' })}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
