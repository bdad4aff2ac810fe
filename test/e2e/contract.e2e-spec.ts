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
