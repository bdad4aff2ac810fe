import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { metricsRegistry } from '../instance/metrics';
import { observeFastifyRequests, observeRequests } from './request-observer';

/** An express app with the request observer in front of two routes, logging at `level` into `lines`. */
function appLoggingAt(level: string) {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const app = express();
  app.use(observeRequests(logger));
  app.get('/observed/:id/things', (_req, res) => {
    res.status(201).json({ ok: true });
  });
  app.get('/observed/boom', (_req, res) => {
    res.status(500).json({ message: '500 Internal Server Error' });
  });
  app.get('/observed/unavailable', (_req, res) => {
    res.status(503).json({ message: '503 Service Unavailable' });
  });
  app.get('/-/liveness', (_req, res) => {
    res.json({ status: 'ok' });
  });
  return { app, lines };
}

describe('the request observer', () => {
  it('writes one line per request with id, method, redacted URL, route template, status and duration', async () => {
    const { app, lines } = appLoggingAt('info');
    const res = await request(app)
      .get('/observed/42/things?private_token=glpat-secret&page=2')
      .set('X-Request-Id', 'req-observed-1')
      .set('PRIVATE-TOKEN', 'glpat-secret');
    expect(res.status).toBe(201);
    expect(res.headers['x-request-id']).toBe('req-observed-1');
    expect(lines).toHaveLength(1);
    const [line] = lines;
    expect(line).toMatchObject({
      level: 30,
      msg: 'request completed',
      request_id: 'req-observed-1',
      route: '/observed/:id/things',
      req: { id: 'req-observed-1', method: 'GET', url: '/observed/42/things?private_token=[FILTERED]&page=2' },
      res: { statusCode: 201 },
    });
    expect(typeof line.responseTime).toBe('number');
    // headers are logged only at debug level
    expect((line.req as Record<string, unknown>).headers).toBeUndefined();
    expect(JSON.stringify(lines)).not.toContain('glpat-secret');
  });

  it('makes an id when the request has none, and logs a 5xx at error level', async () => {
    const { app, lines } = appLoggingAt('info');
    const res = await request(app).get('/observed/boom');
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines).toEqual([
      expect.objectContaining({ level: 50, msg: 'request errored', request_id: res.headers['x-request-id'], route: '/observed/boom' }),
    ]);
  });

  it('logs a 503, a deliberate answer whose cause is logged where it is known, at warn level', async () => {
    const { app, lines } = appLoggingAt('info');
    const res = await request(app).get('/observed/unavailable');
    expect(res.status).toBe(503);
    expect(lines).toEqual([expect.objectContaining({ level: 40, msg: 'request answered 503', route: '/observed/unavailable' })]);
  });

  it('adds redacted headers at debug level', async () => {
    const { app, lines } = appLoggingAt('debug');
    await request(app).get('/observed/7/things').set('Gitlab-Shell-Api-Request', 'jwt-value').set('Accept', 'application/json');
    const req = lines[0].req as { headers: Record<string, unknown> };
    expect(req.headers['gitlab-shell-api-request']).toBe('[FILTERED]');
    expect(req.headers.accept).toBe('application/json');
    expect((lines[0].res as { headers: Record<string, unknown> }).headers['x-request-id']).toBeDefined();
    expect(JSON.stringify(lines)).not.toContain('jwt-value');
  });

  it('does not log the probes, and logs nothing when the level is above info', async () => {
    const quiet = appLoggingAt('warn');
    await request(quiet.app).get('/observed/1/things');
    expect(quiet.lines).toEqual([]);
    const probes = appLoggingAt('info');
    expect((await request(probes.app).get('/-/liveness')).headers['x-request-id']).toBeDefined();
    expect(probes.lines).toEqual([]);
  });

  it('counts durations by method, route template and status, unknown routes as unmatched', async () => {
    const { app } = appLoggingAt('silent');
    await request(app).get('/observed/1/things');
    await request(app).get('/observed/2/things');
    await request(app).get('/observed/nothing-here/at-all');
    const text = await metricsRegistry.getSingleMetricAsString('http_request_duration_seconds');
    expect(text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/observed\/:id\/things",status="201"\} [2-9]/);
    expect(text).toContain('route="unmatched",status="404"');
    expect(text).not.toContain('/observed/1/');
  });

  it("does the same from fastify's hooks", () => {
    const lines: Record<string, unknown>[] = [];
    const hooks: Record<string, (request: unknown, reply: unknown, done: () => void) => void> = {};
    observeFastifyRequests(
      { addHook: (name, hook) => (hooks[name] = hook as (typeof hooks)[string]) },
      pino({ level: 'info' }, { write: (l: string) => lines.push(JSON.parse(l) as Record<string, unknown>) }),
    );
    const set: Record<string, unknown> = {};
    const request = {
      id: 'fastify-req-1',
      method: 'POST',
      url: '/api/v4/internal/allowed?secret_token=s',
      routeOptions: { url: '/api/v4/internal/allowed' },
      headers: {},
      raw: { socket: { remoteAddress: '127.0.0.1' } },
    };
    const reply = {
      statusCode: 200,
      elapsedTime: 3.5,
      raw: { setHeader: (k: string, v: unknown) => (set[k] = v) },
      getHeaders: () => ({}),
    };
    let done = 0;
    hooks.onRequest(request, reply, () => done++);
    hooks.onResponse(request, reply, () => done++);
    expect(done).toBe(2);
    expect(set['X-Request-Id']).toBe('fastify-req-1');
    expect(lines).toEqual([
      expect.objectContaining({
        request_id: 'fastify-req-1',
        route: '/api/v4/internal/allowed',
        responseTime: 3.5,
        req: expect.objectContaining({
          method: 'POST',
          url: '/api/v4/internal/allowed?secret_token=[FILTERED]',
          remoteAddress: '127.0.0.1',
        }),
        res: { statusCode: 200 },
      }),
    ]);
  });
});
