/**
 * Walks every operation of the committed OpenAPI document: without credentials, and with the valid credential
 * of every other scheme, each answers 401 or 403 and never 2xx. A route added later is covered as soon as the
 * document lists it.
 */
import { acceptedBy, Credential, credentialsForEveryScheme } from '../helpers/credentials';
import { operations, samplePath } from '../helpers/openapi';
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
    const url = samplePath(op.path, { group_path: 'walkgrp' });
    const send = (headers: Record<string, string>) => t.http()[op.method](url).set(headers).send(op.method === 'get' || op.method === 'delete' ? undefined : {});
    const rejected = (status: number) => status === 401 || status === 403;
    const anonymous = await send({});
    expect({ credential: 'none', status: anonymous.status, rejected: rejected(anonymous.status) }).toMatchObject({ rejected: true });
    const accepted = acceptedBy(op.schemes);
    for (const [name, cred] of Object.entries(creds)) {
      if (accepted.includes(name)) continue;
      const res = await send(cred.headers());
      expect({ credential: name, status: res.status, rejected: rejected(res.status) }).toMatchObject({ rejected: true });
    }
  });
});
