/**
 * `npm run mock`: Prism serves the committed document as a mock server, answering with the examples it holds
 * (real responses captured from the e2e suite). A few routes per family are called and checked against the
 * document with Prism's validators and against the captured examples.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createExchangeValidator } from '../../src/contract/validator';

const root = join(__dirname, '..', '..');
const documentPath = join(root, 'openapi', 'openapi.json');
const doc = JSON.parse(readFileSync(documentPath, 'utf8'));
const validate = createExchangeValidator(documentPath);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('npm run mock', () => {
  let mock: ChildProcess;
  let base: string;

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const script = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts.mock as string;
    expect(script).toContain('prism mock');
    // the npm script, on a free port
    const args = script.replace(/^prism /, '').replace(/--port \d+/, `--port ${port}`).split(' ');
    mock = spawn(join(root, 'node_modules', '.bin', 'prism'), args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('prism mock did not start in 60 s')), 60_000);
      let out = '';
      const onData = (chunk: Buffer) => {
        out += chunk.toString();
        if (/Prism is listening/.test(out)) {
          clearTimeout(timer);
          resolve();
        }
      };
      mock.stdout!.on('data', onData);
      mock.stderr!.on('data', onData);
      mock.once('exit', (code) => reject(new Error(`prism mock exited ${code}: ${out}`)));
    });
  }, 90_000);

  afterAll(() => {
    mock?.kill('SIGTERM');
  });

  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const requestHeaders = { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
    const res = await fetch(base + path, { method, headers: requestHeaders, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const parsed = /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text;
    const checked = await validate({ method, url: path, requestHeaders, requestBody: body, status: res.status, responseHeaders: Object.fromEntries(res.headers), responseBody: parsed });
    return { status: res.status, body: parsed, checked };
  };
  const example = (path: string, method: string, status: string) => {
    const content = doc.paths[path][method].responses[status].content;
    return (Object.values(content)[0] as { example?: unknown }).example;
  };

  it('GitLab Shell: GET /internal/check answers the captured real response', async () => {
    const res = await call('GET', '/api/v4/internal/check', { 'Gitlab-Shell-Api-Request': 'any.jwt.value' });
    expect(res.status).toBe(200);
    expect(res.checked.response).toEqual([]);
    expect(example('/api/v4/internal/check', 'get', '200')).toBeDefined();
    expect(res.body).toEqual(example('/api/v4/internal/check', 'get', '200'));
  });

  it('SCIM: GET /Users lists users in the documented shape', async () => {
    const res = await call('GET', '/api/scim/v2/groups/acme/Users', { Authorization: 'Bearer glsoat-anything' });
    expect(res.status).toBe(200);
    expect(res.checked.response).toEqual([]);
    expect(res.body).toEqual(example('/api/scim/v2/groups/{group_path}/Users', 'get', '200'));
  });

  it('admin: GET /users/:id answers a documented user, and 401 without a token', async () => {
    const res = await call('GET', '/api/v4/users/1', { 'PRIVATE-TOKEN': 'glpat-anything' });
    expect(res.status).toBe(200);
    expect(res.checked.response).toEqual([]);
    expect(res.body).toEqual(example('/api/v4/users/{id}', 'get', '200'));
    const anonymous = await call('GET', '/api/v4/users/1', {});
    expect(anonymous.status).toBe(401);
  });
});
