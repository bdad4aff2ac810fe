import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { createAdmin } from '../../helpers/factories';
import { shellJwt } from '../../helpers/jwt';
import { createTestApp, TestApp } from '../../helpers/test-app';

/** One gzip member inflating to 1 MiB of zeros; members concatenated form one gzip body. */
const MEMBER = gzipSync(Buffer.alloc(1024 * 1024));

interface Answer {
  status: number;
  body: unknown;
}

/**
 * Sends the headers announcing `total` bytes, then only `sent` of them, and waits for the answer without ever
 * sending the rest: a server that read the whole body before answering never answers (the test times out).
 */
function answerBeforeTheRest(base: string, path: string, headers: Record<string, string>, sent: Buffer, total: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: 'POST', headers: { ...headers, 'Content-Length': String(total) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
      });
    });
    req.on('error', reject);
    req.flushHeaders();
    if (sent.length > 0) req.write(sent);
  });
}

describe('bodies are read after authentication', () => {
  let t: TestApp;
  let base: string;
  let adm: Record<string, string>;
  beforeAll(async () => {
    t = await createTestApp();
    base = await t.listen();
    adm = (await createAdmin(t)).headers;
  });
  afterAll(() => t.close());

  it('malformed JSON without a credential → 401, with one → 400 Invalid JSON body (shell and admin routes)', async () => {
    for (const path of ['/api/v4/internal/allowed', '/api/v4/users']) {
      const anonymous = await t.http().post(path).set('Content-Type', 'application/json').send('{"username":');
      expect({ path, status: anonymous.status, body: anonymous.body }).toEqual({
        path,
        status: 401,
        body: { message: '401 Unauthorized' },
      });
    }
    const shell = await t
      .http()
      .post('/api/v4/internal/allowed')
      .set('Gitlab-Shell-Api-Request', shellJwt())
      .set('Content-Type', 'application/json')
      .send('{"username":');
    expect({ status: shell.status, body: shell.body }).toEqual({ status: 400, body: { message: '400 Bad request - Invalid JSON body' } });
    const admin = await t.http().post('/api/v4/users').set(adm).set('Content-Type', 'application/json').send('{"username":');
    expect({ status: admin.status, body: admin.body }).toEqual({ status: 400, body: { message: '400 Bad request - Invalid JSON body' } });
  });

  it('a gzip body inflating to 1 GiB: 413 once 50 MiB are inflated, before the client has sent the rest', async () => {
    const total = MEMBER.length * 1024;
    const sent = Buffer.concat(Array.from({ length: 64 }, () => MEMBER));
    const headers = { 'Gitlab-Shell-Api-Request': shellJwt(), 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' };
    const res = await answerBeforeTheRest(base, '/api/v4/internal/allowed', headers, sent, total);
    expect(res).toEqual({ status: 413, body: { message: '413 Request Entity Too Large' } });
    // the service goes on answering
    expect((await t.http().get('/api/v4/internal/check').set('Gitlab-Shell-Api-Request', shellJwt())).status).toBe(200);
  });

  it('the same gzip body without a credential → 401 before the client has sent the rest', async () => {
    const total = MEMBER.length * 1024;
    const sent = Buffer.concat(Array.from({ length: 64 }, () => MEMBER));
    const res = await answerBeforeTheRest(
      base,
      '/api/v4/internal/allowed',
      { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      sent,
      total,
    );
    expect(res).toEqual({ status: 401, body: { message: '401 Unauthorized' } });
  });

  it('a Content-Length over 50 MiB → 413 without a byte of the body being read; without a credential → 401', async () => {
    const total = 51 * 1024 * 1024;
    const headers = { 'Gitlab-Shell-Api-Request': shellJwt(), 'Content-Type': 'application/json' };
    expect(await answerBeforeTheRest(base, '/api/v4/internal/allowed', headers, Buffer.alloc(0), total)).toEqual({
      status: 413,
      body: { message: '413 Request Entity Too Large' },
    });
    expect(await answerBeforeTheRest(base, '/api/v4/users', { 'Content-Type': 'application/json' }, Buffer.from('{"a":"'), total)).toEqual({
      status: 401,
      body: { message: '401 Unauthorized' },
    });
  });

  it('a small compressed body is inflated and parsed like a plain one', async () => {
    const body = gzipSync(JSON.stringify({ username: 'nobody-here', action: 'git-upload-pack', protocol: 'ssh', project: 'no/such' }));
    const res = await answerBeforeTheRest(
      base,
      '/api/v4/internal/allowed',
      { 'Gitlab-Shell-Api-Request': shellJwt(), 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body,
      body.length,
    );
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ status: false });
  });

  it("a form body nests bracketed keys as express's extended parser does, and is merged with the query", async () => {
    const res = await t
      .http()
      .post('/api/v4/groups?path=formgroup')
      .set(adm)
      .type('form')
      .send('name=Form%20Group&visibility=private&extra[a][b]=1');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'Form Group', path: 'formgroup', visibility: 'private' });
  });

  it('a malformed Content-Type reads no body and reaches the route, as a text body does', async () => {
    const answers = [];
    for (const type of ['foo', 'text/plain']) {
      const res = await t.http().post('/api/v4/internal/allowed').set('Gitlab-Shell-Api-Request', shellJwt()).set('Content-Type', type).send('x');
      answers.push({ status: res.status, body: res.body });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0].status).toBe(401);
  });

  it('a path segment that does not decode → 400 naming it', async () => {
    const res = await t.http().get('/api/v4/groups/%E0%A4%A').set(adm);
    expect({ status: res.status, body: res.body }).toEqual({ status: 400, body: { error: "Failed to decode param '%E0%A4%A'" } });
  });
});
