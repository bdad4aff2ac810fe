/**
 * `npm run contract -- --url URL --admin-token TOKEN`: the black-box contract check (auth walk, fuzz requests,
 * Prism validation of every answer) against a real listener of the service, and against a server that breaks
 * the contract, which it must report. Part of the system suite (`npm run test:system`): it runs a whole auth walk and
 * fuzz pass against a listener, on its own embedded database (never DATABASE_URL/REDIS_URL).
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DOCUMENT_PATH } from '../../src/contract/requests';
import { formatSummary, parseArgs, runContractCheck } from '../../src/scripts/contract-check';
import { createAdmin, createGroup } from '../helpers/factories';
import { createTestApp, TestApp } from '../helpers/test-app';
// the fixtures' own answers are checked against the document, as in every end-to-end test file
import '../setup/contract-check';

const root = join(__dirname, '..', '..');

describe('npm run contract', () => {
  let t: TestApp;
  let base: string;
  let adminToken: string;
  beforeAll(async () => {
    t = await createTestApp({ REDIS_URL: undefined });
    base = await t.listen();
    adminToken = (await createAdmin(t, 'contractroot')).token;
    await createGroup(t, 'contractgrp');
  });
  afterAll(() => t.close());

  it('passes against the service: every foreign credential rejected, no 5xx, every answer documented', async () => {
    const opts = parseArgs([
      '--url', `${base}/`,
      '--admin-token', adminToken,
      '--shell-secret-file', t.config.gitlabShellSecretFile,
      '--kas-secret-file', t.config.gitlabKasSecretFile,
      '--fuzz-runs', '1',
      '--scim-group', 'contractgrp',
    ]);
    const summary = await runContractCheck(opts);
    const text = formatSummary(summary);
    expect({ authWalkFailures: summary.authWalkFailures, serverErrors: summary.serverErrors, responseViolations: summary.responseViolations, transportErrors: summary.transportErrors }).toEqual({
      authWalkFailures: [], serverErrors: [], responseViolations: [], transportErrors: [],
    });
    const ops = Object.values(JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')).paths as Record<string, object>).reduce((n: number, item) => n + Object.keys(item).length, 0);
    expect(summary.operations).toBe(ops);
    expect(summary.requests).toBeGreaterThan(ops * 2);
    expect(text).toMatch(/contract check: \d+ operations, \d+ requests, 0 auth-walk failures, 0 server errors, 0 response violations, 0 transport errors\ncontract check passed$/);
  }, 600_000);

  it('reports a deployment that accepts anything and answers undocumented bodies', async () => {
    const liar: Server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => liar.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = liar.address() as { port: number };
      const summary = await runContractCheck({ ...parseArgs(['--url', `http://127.0.0.1:${port}`, '--admin-token', 'x', '--fuzz-runs', '0', '--only', '^/api/scim/v2/application/']) });
      expect(summary.operations).toBeGreaterThan(5);
      expect(summary.authWalkFailures.length).toBeGreaterThan(summary.operations);
      expect(summary.responseViolations.length).toBeGreaterThan(0);
      expect(formatSummary(summary)).toMatch(/contract check FAILED$/);
    } finally {
      await new Promise((resolve) => liar.close(resolve));
    }
  }, 300_000);

  it('the compiled command prints its usage and exits 2 without --url', async () => {
    const run = promisify(execFile)(process.execPath, [join(root, 'dist', 'scripts', 'contract-check.js')], { cwd: root });
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage: npm run contract -- --url URL --admin-token TOKEN') });
  });
});
