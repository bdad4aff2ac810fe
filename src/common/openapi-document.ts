/**
 * Finishing touches applied to the generated OpenAPI document (app.factory.ts buildOpenApiDocument), so that
 * controllers keep one `@ApiTags` and their route-specific `@Api*Response` decorators only:
 * - tags in consumer-family order, each with a description naming its consumers;
 * - the error responses every route shares (malformed body, body limit, unknown resource), in the family's
 *   error shape (GitLab's `{"message"}`/`{"error"}`, or the SCIM error schema under /api/scim);
 * - trailing-slash aliases where `PATH/` would otherwise read as the `PATH/{param}` operation;
 * - response examples that are real answers, captured from the e2e suite (openapi/examples.json).
 */
import { OpenAPIObject } from '@nestjs/swagger';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isScimPath } from './scim-error-body';

/** Every tag, in the order Swagger UI shows them: the product's consumer families first, admin fixtures last. */
export const OPENAPI_TAGS: { name: string; description: string }[] = [
  {
    name: 'GitLab Shell and Gitaly: git access',
    description: 'Known consumers: GitLab Shell and gitlab-sshd (every SSH git command), Gitaly hooks (pre-receive, post-receive), Workhorse (audit events).',
  },
  {
    name: 'GitLab Shell and Gitaly: keys and two-factor',
    description: 'Known consumers: GitLab Shell and gitlab-sshd (AuthorizedKeysCommand, `discover`, personal access tokens, two-factor commands).',
  },
  { name: 'GitLab Shell and Gitaly: LFS', description: 'Known consumers: GitLab Shell (`git-lfs-authenticate`, git-lfs-transfer).' },
  { name: 'kas: agents', description: 'Known consumer: the GitLab agent server for Kubernetes (kas), for itself and on behalf of agents.' },
  { name: 'Billing portal: subscriptions', description: 'Known consumer: the billing portal (CustomersDot), with an admin token; one route also for any user.' },
  { name: 'SCIM: provisioning', description: 'Known consumers: identity providers (Okta, Microsoft Entra ID, OneLogin) provisioning users over SCIM 2.0.' },
  { name: 'Error tracking: access', description: 'Known consumer: the error-tracking backend, checking a client key before it accepts events.' },
  { name: 'Instance: health', description: 'Known consumers: `gitlab-shell-check`, `gitaly check` and operators.' },
  { name: 'Admin: users', description: 'Admin fixtures shaped like GitLab\'s REST API. Known consumers: operators and test set-ups.' },
  { name: 'Admin: groups', description: 'Admin fixtures shaped like GitLab\'s REST API. Known consumers: operators and test set-ups.' },
  { name: 'Admin: projects', description: 'Admin fixtures shaped like GitLab\'s REST API. Known consumers: operators and test set-ups.' },
  { name: 'Admin: deploy keys', description: 'Admin fixtures shaped like GitLab\'s REST API. Known consumers: operators and test set-ups.' },
  { name: 'Admin: protected refs', description: 'Admin fixtures shaped like GitLab\'s REST API. Known consumers: operators and test set-ups.' },
  { name: 'Admin: broadcast messages', description: 'Admin fixtures shaped like GitLab\'s REST API. Known consumers: operators and test set-ups.' },
  { name: 'Admin: application settings', description: 'Admin fixtures shaped like GitLab\'s REST API. Known consumers: operators and test set-ups.' },
  { name: 'Admin: Kubernetes agents', description: 'Admin fixtures: cluster agents, agent tokens, security policies. Known consumers: operators and test set-ups.' },
  { name: 'Admin: SCIM tokens', description: 'Issues group and instance SCIM tokens. Known consumers: operators and test set-ups.' },
  { name: 'Admin: error tracking', description: 'Error-tracking settings and client keys of a project. Known consumers: operators and test set-ups.' },
];

type Schema = Record<string, unknown>;
type Response = { description: string; content?: Record<string, { schema: Schema }> };
type Operation = {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { in: string; name: string }[];
  requestBody?: unknown;
  responses: Record<string, Response>;
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const GITLAB_ERROR = 'GitlabError';
const SCIM_ERROR = 'ScimErrorDto';

const gitlabErrorSchema: Schema = {
  type: 'object',
  description: "GitLab's error body: `message` (a string, or an object of messages per field) or `error` (a string).",
  properties: {
    message: { oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }], example: '404 Not Found' },
    error: { type: 'string', example: 'id is invalid' },
  },
  minProperties: 1,
};

/** The body of a shared error response: JSON, in the family's error shape. */
function errorContent(path: string): Response['content'] {
  if (isScimPath(path)) return { 'application/scim+json': { schema: { $ref: `#/components/schemas/${SCIM_ERROR}` } } };
  return { 'application/json': { schema: { $ref: `#/components/schemas/${GITLAB_ERROR}` } } };
}

const SHARED: { status: string; applies: (op: Operation) => boolean; description: string }[] = [
  {
    status: '400',
    applies: () => true,
    description: 'Malformed request: a JSON body that does not parse, a parameter of the wrong type or format, a value the database cannot store (NUL, out of range).',
  },
  { status: '404', applies: (op) => (op.parameters ?? []).some((p) => p.in === 'path'), description: 'Not found: a resource or parent named in the path does not exist or is not visible.' },
  { status: '413', applies: (op) => op.requestBody !== undefined, description: 'Request body over the limit (1 MiB under /api/scim, 50 MiB elsewhere).' },
  { status: '500', applies: () => true, description: 'Unexpected failure; the body never carries details (they are logged with the request id).' },
  { status: '503', applies: () => true, description: 'A backing service (PostgreSQL) is unavailable; retry later.' },
];

function operationsOf(document: OpenAPIObject): [string, string, Operation][] {
  const out: [string, string, Operation][] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (op) out.push([path, method, op]);
    }
  }
  return out;
}

/** Adds the error responses every route shares, and gives the family's error shape to error responses that have no body schema. */
export function addSharedResponses(document: OpenAPIObject): void {
  const schemas = (document.components ??= {}).schemas ?? (document.components.schemas = {});
  schemas[GITLAB_ERROR] = gitlabErrorSchema;
  for (const [path, , op] of operationsOf(document)) {
    // identity providers send SCIM bodies as application/scim+json (RFC 7644), some as application/json
    const body = op.requestBody as { content?: Record<string, unknown> } | undefined;
    if (isScimPath(path) && body?.content?.['application/json'] && !body.content['application/scim+json']) {
      body.content['application/scim+json'] = body.content['application/json'];
    }
    for (const shared of SHARED) {
      if (!op.responses[shared.status] && shared.applies(op)) op.responses[shared.status] = { description: shared.description };
    }
    for (const [status, response] of Object.entries(op.responses)) {
      if (/^[45]\d\d$/.test(status) && !response.content) response.content = errorContent(path);
      // a path no route matches (a parameter holding `/`) and a body the parser rejects are answered before the
      // route runs, in GitLab's generic shape: a route's own 400/404 body may be that one too
      if ((status === '400' || status === '404') && !isScimPath(path)) {
        for (const media of Object.values(response.content ?? {}) as { schema: Schema }[]) {
          if (media.schema.$ref !== `#/components/schemas/${GITLAB_ERROR}`) media.schema = { anyOf: [media.schema, { $ref: `#/components/schemas/${GITLAB_ERROR}` }] };
        }
      }
    }
  }
}

/**
 * Every route answers `PATH/` as `PATH`. Where the document also has `PATH/{param}`, a validator would read
 * `PATH/` as that operation with an empty parameter; an explicit alias says what the slash form really is.
 */
export function addTrailingSlashAliases(document: OpenAPIObject): void {
  const paths = document.paths as Record<string, Record<string, Operation>>;
  for (const path of Object.keys(paths)) {
    const childPattern = new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&')}/\\{[^}/]+\\}$`);
    const children = Object.keys(paths).filter((p) => childPattern.test(p));
    // the whole path item gets an alias as soon as one of its methods would be misread
    if (!METHODS.some((m) => paths[path][m] && children.some((child) => paths[child][m]))) continue;
    for (const method of METHODS) {
      const op = paths[path][method];
      if (!op) continue;
      const alias = JSON.parse(JSON.stringify(op)) as Operation;
      alias.operationId = `${op.operationId}TrailingSlash`;
      alias.summary = `${op.summary ?? op.operationId} (trailing slash)`;
      alias.description = `The same operation as \`${method.toUpperCase()} ${path}\`: a trailing slash does not change a path. ${op.description ?? ''}`.trim();
      (paths[`${path}/`] ??= {})[method] = alias;
    }
  }
}

/** Declares the tags in family order; an operation with an unregistered tag is a programming error. */
export function orderTags(document: OpenAPIObject): void {
  const used = new Set<string>();
  for (const [path, method, op] of operationsOf(document)) {
    for (const tag of op.tags ?? []) {
      if (!OPENAPI_TAGS.some((t) => t.name === tag)) throw new Error(`${method.toUpperCase()} ${path}: tag "${tag}" is not in OPENAPI_TAGS (src/common/openapi-document.ts)`);
      used.add(tag);
    }
  }
  document.tags = OPENAPI_TAGS.filter((t) => used.has(t.name)).map((t) => ({ ...t }));
}

export const EXAMPLES_PATH = join(__dirname, '..', '..', 'openapi', 'examples.json');

/**
 * Sets `example` on each JSON response that openapi/examples.json has a captured answer for (keyed
 * `method /template` then status): real responses, recorded by an e2e run with CAPTURE_EXAMPLES=1, which the
 * mock server (`npm run mock`) serves.
 */
export function addCapturedExamples(document: OpenAPIObject, file = EXAMPLES_PATH): void {
  if (!existsSync(file)) return;
  const examples = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>;
  for (const [path, method, op] of operationsOf(document)) {
    const byStatus = examples[`${method} ${path}`];
    if (!byStatus) continue;
    for (const [status, body] of Object.entries(byStatus)) {
      const content = op.responses[status]?.content;
      if (!content) continue;
      for (const media of Object.values(content) as { schema: Schema; example?: unknown }[]) media.example = body;
    }
  }
}
