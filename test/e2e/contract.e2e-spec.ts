/**
 * The committed OpenAPI document is the contract CI checks: it must equal a fresh one generated from the
 * compiled code (`npm test` builds first), validate as OpenAPI, and pass Spectral with no error.
 */
import SwaggerParser from '@apidevtools/swagger-parser';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkResponse, contractViolations } from '../helpers/contract';

const root = join(__dirname, '..', '..');
const committedPath = join(root, 'openapi', 'openapi.json');

describe('openapi/openapi.json', () => {
  it('matches the document generated from the compiled code', async () => {
    const script = join(root, 'dist', 'scripts', 'sync-openapi.js');
    expect(existsSync(script)).toBe(true);
    const fresh = execFileSync(process.execPath, ['-e', `require(${JSON.stringify(script)}).generateOpenApi().then((d) => process.stdout.write(d))`], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    }).toString();
    expect(readFileSync(committedPath, 'utf8') === fresh).toBe(true);
  });

  it('the generated client (openapi/client/schema.d.ts) matches the committed document', () => {
    const bin = join(root, 'node_modules', '.bin', 'openapi-typescript');
    const fresh = execFileSync(bin, [committedPath], { cwd: root, maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    expect(readFileSync(join(root, 'openapi', 'client', 'schema.d.ts'), 'utf8') === fresh).toBe(true);
  });

  it('the client and its callers type-check against it (tsconfig.client.json)', () => {
    const tsc = join(root, 'node_modules', '.bin', 'tsc');
    let output = '';
    try {
      execFileSync(tsc, ['-p', join(root, 'tsconfig.client.json')], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      output = String((err as { stdout?: Buffer }).stdout ?? err);
    }
    expect(output).toBe('');
  }, 180_000);

  it('lists tags by consumer family, admin last, each naming its consumers', () => {
    const doc = JSON.parse(readFileSync(committedPath, 'utf8'));
    const names: string[] = doc.tags.map((t: { name: string }) => t.name);
    const family = (name: string) => ['GitLab Shell and Gitaly', 'kas', 'Billing portal', 'SCIM', 'Error tracking', 'Instance', 'Admin'].indexOf(name.split(':')[0]);
    for (const name of names) expect({ name, family: family(name) >= 0, style: /^[^:]+: [a-z]/i.test(name) }).toEqual({ name, family: true, style: true });
    expect(names.map(family)).toEqual([...names.map(family)].sort((a, b) => a - b));
    for (const tag of doc.tags) expect({ tag: tag.name, consumers: /Known consumers?:/.test(tag.description ?? '') }).toEqual({ tag: tag.name, consumers: true });
  });

  it('documents a trailing-slash collection path as the collection, not as its `/{id}` child', () => {
    const doc = JSON.parse(readFileSync(committedPath, 'utf8'));
    const list = doc.paths['/api/scim/v2/groups/{group_path}/Users'].get;
    const alias = doc.paths['/api/scim/v2/groups/{group_path}/Users/'].get;
    expect(alias.responses['200']).toEqual(list.responses['200']);
    expect(alias.operationId).toBe(`${list.operationId}TrailingSlash`);
  });

  it('documents the shared error responses: 400 everywhere, 404 with path parameters, 413 with a body', () => {
    const doc = JSON.parse(readFileSync(committedPath, 'utf8'));
    for (const [path, item] of Object.entries<Record<string, { parameters?: { in: string }[]; requestBody?: object; responses: Record<string, { content?: object }> }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const codes = Object.keys(op.responses);
        const name = `${method} ${path}`;
        expect({ name, has400: codes.includes('400') }).toEqual({ name, has400: true });
        if ((op.parameters ?? []).some((p) => p.in === 'path')) expect({ name, has404: codes.includes('404') }).toEqual({ name, has404: true });
        if (op.requestBody) expect({ name, has413: codes.includes('413') }).toEqual({ name, has413: true });
        for (const code of codes.filter((c) => c.startsWith('4'))) expect({ name, code, body: !!op.responses[code].content }).toEqual({ name, code, body: true });
      }
    }
  });

  it('is a valid OpenAPI document', async () => {
    const doc = JSON.parse(readFileSync(committedPath, 'utf8'));
    await expect(SwaggerParser.validate(doc)).resolves.toBeTruthy();
  });

  it('passes Spectral with zero errors', () => {
    const spectral = join(root, 'node_modules', '.bin', 'spectral');
    const out = execFileSync(spectral, ['lint', '--fail-severity', 'error', '-f', 'json', '--quiet', committedPath], { cwd: root }).toString();
    const results = JSON.parse(out || '[]') as { severity: number }[];
    expect(results.filter((r) => r.severity === 0)).toEqual([]);
  });

  it('states one security scheme and names its known consumers on every operation', () => {
    const doc = JSON.parse(readFileSync(committedPath, 'utf8'));
    const schemes = Object.keys(doc.components.securitySchemes);
    for (const [path, item] of Object.entries<Record<string, { security?: object[]; description?: string; operationId: string }>>(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        expect({ op: `${method} ${path}`, security: op.security?.length }).toEqual({ op: `${method} ${path}`, security: 1 });
        for (const name of Object.keys(op.security![0])) expect(schemes).toContain(name);
        expect({ op: op.operationId, consumers: /Known consumers?:/.test(op.description ?? '') }).toEqual({ op: op.operationId, consumers: true });
      }
    }
  });

  it('e2e responses are checked against it: a body of the wrong shape is reported', () => {
    const before = contractViolations.length;
    checkResponse('get', '/api/v4/internal/check', 200, 'application/json; charset=utf-8', { api_version: 4 });
    const found = contractViolations.splice(before);
    expect(found.length).toBe(1);
    expect(found[0]).toContain('get /api/v4/internal/check 200');
    checkResponse('get', '/api/v4/internal/check?x=1', 200, 'application/json; charset=utf-8', {
      api_version: 'v4', gitlab_version: '17.11.0', gitlab_rev: 'x', redis: true, gitlab_revision: 'x',
    });
    expect(contractViolations.length).toBe(before);
  });
});
