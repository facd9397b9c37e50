import restify, { type Request, type Response } from 'restify';
import type { Logger } from 'pino';
import { handleAlertRequest, MAX_ALERT_BODY_BYTES, type HandleAlertDeps } from '../intake/handle-alert-request.js';
import { readBody } from './read-body.js';

export interface ServerDeps {
  logger: Logger;
  alerts: HandleAlertDeps;
  /** Bot Framework activities: the teams-ai adapter + application. */
  messages: (req: Request, res: Response) => Promise<void>;
  readiness: () => Promise<{ ready: boolean; body: unknown }>;
  metrics: () => Promise<string>;
}

/** The HTTP edge: each route turns a request into a call and the result into a response. */
export function createHttpServer(deps: ServerDeps): restify.Server {
  const server = restify.createServer({ name: 'glasswatch', handleUncaughtExceptions: false });
  const { logger } = deps;

  server.on('after', (req: Request, res: Response) => {
    // The path only: the query string can hold the webhook token.
    logger.info({ method: req.method, path: req.getPath(), status: res.statusCode, ms: Date.now() - req.time() }, 'request');
  });

  server.get('/healthz', async (_req: Request, res: Response) => {
    res.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_req: Request, res: Response) => {
    const { ready, body } = await deps.readiness();
    res.send(ready ? 200 : 503, body);
  });

  server.get('/metrics', async (_req: Request, res: Response) => {
    const text = await deps.metrics();
    res.setHeader('content-type', 'text/plain; version=0.0.4; charset=utf-8');
    res.sendRaw(200, text);
  });

  server.post('/api/alerts', async (req: Request, res: Response) => {
    let body: string | 'too-large';
    try {
      body = await readBody(req, MAX_ALERT_BODY_BYTES);
    } catch (error) {
      logger.warn({ err: error }, 'alert request body could not be read');
      res.send(400, { error: { code: 'invalid-json', message: 'The request body could not be read.' } });
      return;
    }
    const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
    const response = await handleAlertRequest({ headers: req.headers, query, body }, deps.alerts);
    for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, value);
    res.send(response.status, response.body);
  });

  server.post('/api/messages', restify.plugins.bodyParser({ maxBodySize: 1024 * 1024, mapParams: false }), async (req: Request, res: Response) => {
    try {
      await deps.messages(req, res);
    } catch (error) {
      logger.error({ err: error }, 'activity processing failed');
      if (!res.headersSent) res.send(500, { error: { code: 'activity-failed', message: 'The activity could not be processed.' } });
    }
  });

  return server;
}
