/**
 * Walks every operation of the committed OpenAPI document: without credentials, and with the valid credential
 * of every other scheme, each answers 401 or 403 and never 2xx. A route added later is covered as soon as the
 * document lists it. The requests come from src/contract/requests.ts, which `npm run contract` also uses.
 */
import { authWalkRequests, rejected } from '../../src/contract/requests';
import { Credential, credentialsForEveryScheme } from '../helpers/credentials';
import { operations } from '../helpers/openapi';
import { createTestApp, TestApp } from '../helpers/test-app';

const ops = operations();

describe('every operation rejects missing and foreign credentials', () => {
  let t: TestApp;
  let creds: Record<string, Credential>;
  beforeAll(async () => {
    t = await createTestApp();
    creds = await credentialsForEveryScheme(t);
  });
  afterAll(() => t.close());

  it('the document has operations for every scheme it declares', () => {
    expect(ops.length).toBeGreaterThan(0);
    for (const op of ops) expect(op.schemes.length).toBeGreaterThan(0);
  });

  it.each(ops.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))('%s', async (_name, op) => {
    for (const req of authWalkRequests(op, creds, { group_path: 'walkgrp' })) {
      let call = t.http()[req.method](req.url).set(req.headers);
      if (req.body) call = call.set('Content-Type', req.body.contentType).send(req.body.payload);
      const res = await call;
      expect({ credential: req.credential, status: res.status, rejected: rejected(res.status) }).toMatchObject({ rejected: true });
    }
  });
});
