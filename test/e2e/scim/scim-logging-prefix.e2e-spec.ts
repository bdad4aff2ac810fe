import fs from 'node:fs';
import { createTestApp, TestApp } from '../../helpers/test-app';
import { Fixtures, resetFixtures, scim, UID } from './scim-fixtures';

/**
 * no log line carries a SCIM token, an access_token value or a password; provisioning is logged
 * at info. Also the RELATIVE_URL_ROOT prefix with an EXTERNAL_URL that contains it.
 */
describe('SCIM logs and RELATIVE_URL_ROOT', () => {
  let t: TestApp;
  let f: Fixtures;
  const written: string[] = [];
  const capture = (chunk: unknown) => {
    written.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk));
  };

  beforeAll(async () => {
    // pino writes through sonic-boom (fs.write / fs.writeSync on fd 1) or process.stdout
    const writeSync = fs.writeSync;
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
      if (fd === 1 || fd === 2) {
        capture(data);
        return typeof data === 'string' ? Buffer.byteLength(data) : (data as Buffer).length;
      }
      return (writeSync as (...a: unknown[]) => number)(fd, data, ...rest);
    }) as typeof fs.writeSync);
    const write = fs.write;
    jest.spyOn(fs, 'write').mockImplementation(((fd: number, data: unknown, ...rest: unknown[]) => {
      const cb = rest.find((r) => typeof r === 'function') as ((e: null, n: number) => void) | undefined;
      if (fd === 1 || fd === 2) {
        capture(data);
        cb?.(null, typeof data === 'string' ? Buffer.byteLength(data) : (data as Buffer).length);
        return;
      }
      return (write as (...a: unknown[]) => void)(fd, data, ...rest);
    }) as typeof fs.write);
    jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown) => {
      capture(chunk);
      return true;
    }) as typeof process.stdout.write);
    t = await createTestApp({ LOG_LEVEL: 'info', RELATIVE_URL_ROOT: '/gitlab', EXTERNAL_URL: 'https://gitlab.example.com/gitlab' });
    f = await resetFixtures(t);
  });
  afterAll(async () => {
    await t.close();
    jest.restoreAllMocks();
  });

  it('serves SCIM under the prefix and without it; locations use EXTERNAL_URL as is', async () => {
    for (const path of ['/gitlab/api/scim/v2/application/Users', '/api/scim/v2/application/Users']) {
      const res = await scim(t, 'get', path, { token: f.TI });
      expect(res.status).toBe(200);
      expect(res.body.Resources[0].meta.location).toBe(`https://gitlab.example.com/gitlab/api/scim/v2/application/Users/${UID}`);
    }
    const created = await scim(t, 'post', '/gitlab/api/scim/v2/groups/test_group/Users', {
      token: f.TG,
      body: { externalId: 'pfx', userName: 'pfx', emails: [{ value: 'pfx@example.com' }] },
    });
    expect(created.status).toBe(201);
    expect(created.headers.location).toBe('https://gitlab.example.com/gitlab/api/scim/v2/groups/test_group/Users/pfx');
    const missing = await scim(t, 'get', '/gitlab/api/scim/v2/Bulk');
    expect(missing.status).toBe(404);
  });

  it('#23 (logs) never logs tokens or passwords, and logs provisioning at info', async () => {
    written.length = 0;
    const password = '1mz050nq';
    const res = await scim(t, 'post', `/api/scim/v2/application/Users?access_token=${f.TI}`, {
      body: { externalId: 'okta-1', userName: 'okta.user@okta.local', emails: [{ value: 'okta.user@okta.local' }], password },
    });
    expect(res.status).toBe(201);
    expect((await scim(t, 'get', '/api/scim/v2/groups/test_group/Users', { token: f.TG })).status).toBe(200);
    expect((await scim(t, 'get', '/api/scim/v2/groups/test_group/Users', { token: 'glsoat-notavalidtoken123' })).status).toBe(401);
    await new Promise((r) => setImmediate(r));
    const output = written.join('');
    expect(output).toContain('SCIM user provisioned');
    expect(output).toContain('okta-1');
    for (const secret of [f.TI, f.TG, 'glsoat-notavalidtoken123', password]) expect(output).not.toContain(secret);
    expect(res.text).not.toContain(password);
  });
});
