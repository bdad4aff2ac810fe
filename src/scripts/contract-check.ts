/**
 * Black-box contract check of a running deployment (`npm run contract -- --url URL --admin-token TOKEN`):
 * the auth walk and the fuzz requests of the e2e suite (src/contract/requests.ts), sent over HTTP, every
 * response validated against openapi/openapi.json with Prism's validators. Prints a summary; exits 1 on any
 * failure. Options:
 *   --url URL                 the deployment (required)
 *   --admin-token TOKEN       an admin's personal access token with api scope (required)
 *   --shell-secret-file F     the shell secret, to fuzz the shell routes with a valid JWT
 *   --kas-secret-file F       the kas secret (base64), to fuzz the kas routes with a valid JWT
 *   --fuzz-runs N             malformed requests per operation (default 3; 0 skips fuzzing)
 *   --fuzz-writes             also fuzz POST/PUT/PATCH/DELETE with a valid credential (staging only: it may write)
 *   --scim-group PATH         an existing group's full path for the group SCIM routes (without it, their 404
 *                             for the unknown sample group counts as rejected: unknown groups are 404 before auth)
 *   --only REGEX              check only the operations whose path matches (e.g. `^/api/scim/`)
 *   --seed N                  fast-check seed (default 42), to replay a run
 *   --document F              the OpenAPI document (default openapi/openapi.json)
 */
import fc from 'fast-check';
import jwt from 'jsonwebtoken';
import { readFileSync } from 'node:fs';
import { SECURITY } from '../auth/security-schemes';
import {
  authWalkRequests,
  Credential,
  DOCUMENT_PATH,
  foreignCredentials,
  fullUrl,
  fuzzRequests,
  loadOpenApiDocument,
  operationsOf,
  PlannedRequest,
  rejected,
} from '../contract/requests';
import { createExchangeValidator } from '../contract/validator';

export interface ContractCheckOptions {
  url: string;
  adminToken: string;
  shellSecret?: string;
  kasSecret?: Buffer;
  fuzzRuns: number;
  fuzzWrites: boolean;
  seed: number;
  document: string;
  scimGroup?: string;
  only?: RegExp;
  log?: (line: string) => void;
}

export interface ContractCheckSummary {
  operations: number;
  requests: number;
  authWalkFailures: string[];
  serverErrors: string[];
  responseViolations: string[];
  transportErrors: string[];
}

export function parseArgs(argv: string[]): ContractCheckOptions {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    if (i >= 0) return argv[i + 1];
    const eq = argv.find((a) => a.startsWith(`--${name}=`));
    return eq?.slice(name.length + 3);
  };
  const url = get('url');
  const adminToken = get('admin-token');
  if (!url || !adminToken) throw new Error('usage: npm run contract -- --url URL --admin-token TOKEN [--shell-secret-file F] [--kas-secret-file F] [--fuzz-runs N] [--fuzz-writes] [--scim-group PATH] [--only REGEX] [--seed N]');
  const shellFile = get('shell-secret-file');
  const kasFile = get('kas-secret-file');
  return {
    url: url.replace(/\/+$/, ''),
    adminToken,
    shellSecret: shellFile ? readFileSync(shellFile, 'utf8').trim() : undefined,
    kasSecret: kasFile ? Buffer.from(readFileSync(kasFile, 'utf8').trim(), 'base64') : undefined,
    fuzzRuns: Number(get('fuzz-runs') ?? 3),
    fuzzWrites: argv.includes('--fuzz-writes'),
    seed: Number(get('seed') ?? 42),
    document: get('document') ?? DOCUMENT_PATH,
    scimGroup: get('scim-group'),
    only: get('only') ? new RegExp(get('only')!) : undefined,
  };
}

/** The credentials the checker has: the admin token, valid JWTs where secrets were given, else well-formed fakes. */
function credentials(opts: ContractCheckOptions): { all: Record<string, Credential>; valid: Set<string> } {
  const all = foreignCredentials();
  const valid = new Set<string>([SECURITY.admin]);
  all[SECURITY.admin] = { name: SECURITY.admin, headers: () => ({ 'PRIVATE-TOKEN': opts.adminToken }) };
  const now = () => Math.floor(Date.now() / 1000);
  if (opts.shellSecret) {
    const secret = opts.shellSecret;
    all[SECURITY.shell] = { name: SECURITY.shell, headers: () => ({ 'Gitlab-Shell-Api-Request': jwt.sign({ iss: 'gitlab-shell', iat: now(), exp: now() + 60 }, secret, { algorithm: 'HS256' }) }) };
    valid.add(SECURITY.shell);
  }
  if (opts.kasSecret) {
    const secret = opts.kasSecret;
    all[SECURITY.kas] = {
      name: SECURITY.kas,
      headers: () => ({ 'Gitlab-Kas-Api-Request': jwt.sign({ iss: 'gitlab-kas', aud: ['gitlab'], iat: now(), exp: now() + 60 }, secret, { algorithm: 'HS256' }) }),
    };
    valid.add(SECURITY.kas);
  }
  return { all, valid };
}

export async function runContractCheck(opts: ContractCheckOptions): Promise<ContractCheckSummary> {
  const log = opts.log ?? (() => undefined);
  const doc = loadOpenApiDocument(opts.document);
  const ops = operationsOf(doc).filter((op) => !opts.only || opts.only.test(op.path));
  const validate = createExchangeValidator(opts.document);
  const { all, valid } = credentials(opts);
  const summary: ContractCheckSummary = { operations: ops.length, requests: 0, authWalkFailures: [], serverErrors: [], responseViolations: [], transportErrors: [] };

  const send = async (req: PlannedRequest): Promise<{ status: number } | undefined> => {
    const url = fullUrl(req);
    summary.requests++;
    const headers: Record<string, string> = { ...req.headers };
    if (req.body) headers['Content-Type'] = req.body.contentType;
    let res: Response;
    try {
      res = await fetch(opts.url + url, { method: req.method.toUpperCase(), headers, body: req.body?.payload, redirect: 'manual' });
    } catch (err) {
      summary.transportErrors.push(`${req.method.toUpperCase()} ${url}: ${(err as Error).message}`);
      return undefined;
    }
    const text = await res.text();
    let body: unknown = text;
    if (/json/.test(res.headers.get('content-type') ?? '') && text) {
      try {
        body = JSON.parse(text);
      } catch {
        /* the validator reports a body that is not the declared JSON */
      }
    }
    const checked = await validate({
      method: req.method,
      url,
      requestHeaders: headers,
      requestBody: req.body?.payload,
      status: res.status,
      responseHeaders: Object.fromEntries(res.headers),
      responseBody: body,
    });
    summary.responseViolations.push(...checked.response);
    if (res.status >= 500) summary.serverErrors.push(`${req.method.toUpperCase()} ${url.slice(0, 200)} → ${res.status}`);
    return { status: res.status };
  };

  for (const op of ops) {
    const unknownGroup = !opts.scimGroup && op.path.includes('{group_path}');
    for (const req of authWalkRequests(op, all, opts.scimGroup ? { group_path: opts.scimGroup } : {})) {
      const res = await send(req);
      if (res && !rejected(res.status) && !(unknownGroup && res.status === 404)) summary.authWalkFailures.push(`${op.method.toUpperCase()} ${op.path} with ${req.credential}: ${res.status}`);
    }
  }
  log(`auth walk: ${ops.length} operations, ${summary.authWalkFailures.length} not rejected`);

  if (opts.fuzzRuns > 0) {
    let index = 0;
    for (const op of ops) {
      // an admin token is a valid user token too; kas-agent routes need an agent token the checker does not have
      const schemes = op.schemes.map((s) => (s === SECURITY.user ? SECURITY.admin : s));
      const usable = schemes.every((s) => valid.has(s)) && (op.method === 'get' || opts.fuzzWrites);
      const cred: Credential = usable ? all[schemes[schemes.length - 1]] : { name: 'none', headers: () => ({}) };
      const samples = fc.sample(fuzzRequests(doc, op, () => cred.headers()), { numRuns: opts.fuzzRuns, seed: opts.seed + index++ });
      for (const req of samples) await send(req);
    }
    log(`fuzz: ${opts.fuzzRuns} requests per operation, ${summary.serverErrors.length} server errors`);
  }
  return summary;
}

export function formatSummary(s: ContractCheckSummary): string {
  const section = (title: string, items: string[]) => (items.length ? [`${title} (${items.length}):`, ...items.slice(0, 50).map((i) => `  ${i}`)] : []);
  const failed = s.authWalkFailures.length + s.serverErrors.length + s.responseViolations.length + s.transportErrors.length;
  return [
    ...section('credentials not rejected', s.authWalkFailures),
    ...section('5xx answers', s.serverErrors),
    ...section('responses the document does not describe', s.responseViolations),
    ...section('requests that got no answer', s.transportErrors),
    `contract check: ${s.operations} operations, ${s.requests} requests, ${s.authWalkFailures.length} auth-walk failures, ` +
      `${s.serverErrors.length} server errors, ${s.responseViolations.length} response violations, ${s.transportErrors.length} transport errors`,
    failed === 0 ? 'contract check passed' : 'contract check FAILED',
  ].join('\n');
}

async function main(): Promise<void> {
  let opts: ContractCheckOptions;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(2);
  }
  const summary = await runContractCheck({ ...opts, log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(`${formatSummary(summary)}\n`);
  const failed = summary.authWalkFailures.length + summary.serverErrors.length + summary.responseViolations.length + summary.transportErrors.length;
  process.exit(failed === 0 ? 0 : 1);
}

if (require.main === module) void main();
