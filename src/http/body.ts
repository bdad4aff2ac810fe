import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import qs from 'qs';
import { ApiError } from '../common/api-error';
import { isScimPath } from '../common/scim-error-body';

/** Largest body (after inflation) under /api/scim. */
export const SCIM_BODY_LIMIT = 1024 * 1024;
/** Largest body (after inflation) everywhere else: Gitaly sends one `changes` line per ref. */
export const BODY_LIMIT = 50 * 1024 * 1024;
/**
 * Before authentication, a request without a credential header is read this far (after inflation) and no
 * further, so that a `private_token`, `secret_token` or `error_tracking_token` parameter in a small body can
 * authenticate it.
 */
export const CREDENTIAL_BODY_WINDOW = 64 * 1024;
/** Most parameters of one form body. */
const FORM_PARAMETER_LIMIT = 1_000_000;

/** Headers that carry a credential of one of the product's schemes. */
const CREDENTIAL_HEADERS = [
  'authorization',
  'private-token',
  'gitlab-shell-api-request',
  'gitlab-kas-api-request',
  'gitlab-agentk-api-request',
  'gitlab-shared-secret',
  'gitlab-error-tracking-token',
];

const INVALID_JSON = { message: '400 Bad request - Invalid JSON body' };
const INVALID_BODY = { message: '400 Bad request - Invalid request body' };

type BodyRequest = { raw?: IncomingMessage; body?: unknown; headers: IncomingMessage['headers']; url?: string; originalUrl?: string };
type Read = { state: 'complete'; data: Buffer } | { state: 'partial' } | { state: 'too-large' } | { state: 'failed' };

/** What was read of a SCIM request's body: its text, or that it exceeded the SCIM limit. */
export interface RawBodyText {
  text?: string;
  tooLarge?: boolean;
}

/** Whether a request announces a body (GET and friends without one pay nothing). */
function hasBody(raw: IncomingMessage): boolean {
  const length = raw.headers['content-length'];
  return raw.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/** The node request behind the adapter's request object (fastify wraps it, express extends it). */
function nodeRequest(req: BodyRequest): IncomingMessage {
  return req.raw ?? (req as unknown as IncomingMessage);
}

function pathOf(req: BodyRequest): string {
  return (req.originalUrl ?? req.url ?? '').split('?')[0];
}

function mediaType(raw: IncomingMessage): { type: string; charset?: string } {
  const [type, ...params] = (raw.headers['content-type'] ?? '').split(';');
  const charset = params.map((p) => /^\s*charset\s*=\s*"?([^";\s]+)"?\s*$/i.exec(p)?.[1]).find(Boolean);
  return { type: type.trim().toLowerCase(), charset: charset?.toLowerCase() };
}

const isJsonType = (type: string) => type === 'application/json' || /^application\/[^/]+\+json$/.test(type);
const isFormType = (type: string) => type === 'application/x-www-form-urlencoded';

/**
 * Reads one request's body from the node stream, inflating gzip, deflate and br bodies, and counting the
 * inflated bytes against the limit while inflating: a body that grows past the limit is abandoned at once (the
 * rest of the compressed stream is discarded unread). Reading can stop at a smaller window and resume later.
 */
class BodyReader {
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private target = 0;
  private result?: Read;
  private wake?: () => void;
  private source?: Readable;

  constructor(
    private readonly raw: IncomingMessage,
    private readonly limit: number,
  ) {}

  /** Reads until the body ends, or until more than `window` bytes were read (then `partial`). */
  async read(window: number): Promise<Read> {
    if (this.result) return this.result;
    const encoding = String(this.raw.headers['content-encoding'] ?? 'identity')
      .trim()
      .toLowerCase();
    const length = Number(this.raw.headers['content-length']);
    if (encoding === 'identity' && length > this.limit) return this.finish({ state: 'too-large' });
    if (!this.source && encoding === 'identity' && length > window) return { state: 'partial' };
    this.target = window;
    if (!this.source) this.start(encoding);
    if (this.result) return this.result;
    if (this.size > window) return { state: 'partial' };
    return new Promise<Read>((resolve) => {
      this.wake = () => resolve(this.result ?? { state: 'partial' });
      this.source!.resume();
    });
  }

  private start(encoding: string): void {
    const inflater =
      encoding === 'gzip'
        ? createGunzip()
        : encoding === 'deflate'
          ? createInflate()
          : encoding === 'br'
            ? createBrotliDecompress()
            : undefined;
    if (encoding !== 'identity' && !inflater) {
      this.finish({ state: 'failed' });
      return;
    }
    const source: Readable = inflater ? this.raw.pipe(inflater as unknown as NodeJS.WritableStream & Readable) : this.raw;
    this.source = source;
    if (inflater) this.raw.on('error', () => this.finish({ state: 'failed' }));
    source.on('data', (chunk: Buffer) => {
      if (this.result) return;
      this.size += chunk.length;
      if (this.size > this.limit) return this.finish({ state: 'too-large' });
      this.chunks.push(chunk);
      if (this.size > this.target) {
        source.pause();
        this.wakeUp();
      }
    });
    source.on('end', () => this.finish({ state: 'complete', data: Buffer.concat(this.chunks) }));
    source.on('error', () => this.finish({ state: 'failed' }));
    this.raw.on('aborted', () => this.finish({ state: 'failed' }));
  }

  private finish(result: Read): Read {
    if (this.result) return this.result;
    this.result = result;
    if (result.state !== 'complete') {
      this.chunks.length = 0;
      // stop inflating; what is left of the request is discarded without being inflated
      if (this.source && this.source !== this.raw) {
        this.raw.unpipe(this.source as unknown as NodeJS.WritableStream);
        this.source.destroy();
      }
      this.raw.resume();
    }
    this.wakeUp();
    return result;
  }

  /** The request was answered without its body: what is left is discarded unread. */
  abandon(): void {
    if (this.source && !this.result) this.finish({ state: 'failed' });
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Per-request state: the reader, and the body once parsed (or its error, answered after authentication). */
interface BodyState {
  reader: BodyReader;
  parsed?: { value: unknown } | { error: ApiError };
  scim?: RawBodyText;
}

const states = new WeakMap<IncomingMessage, BodyState>();

function stateOf(raw: IncomingMessage, limit: number): BodyState {
  let state = states.get(raw);
  if (!state) states.set(raw, (state = { reader: new BodyReader(raw, limit) }));
  return state;
}

/** A complete JSON or form body parsed as express's `json()` and `urlencoded({ extended: true })` parse them. */
function parseBody(data: Buffer, raw: IncomingMessage, strictJson: boolean): unknown {
  const { type, charset } = mediaType(raw);
  if (isJsonType(type)) {
    if (charset && charset !== 'utf-8' && charset !== 'utf8') throw new ApiError(400, INVALID_BODY);
    let text = data.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.length === 0) return {};
    const first = text.trimStart()[0];
    if (strictJson && first !== '{' && first !== '[') throw new ApiError(400, INVALID_JSON);
    try {
      return JSON.parse(text);
    } catch {
      throw new ApiError(400, INVALID_JSON);
    }
  }
  if (charset && !['utf-8', 'utf8', 'iso-8859-1', 'latin1'].includes(charset)) throw new ApiError(400, INVALID_BODY);
  const text = data.toString(charset === 'iso-8859-1' || charset === 'latin1' ? 'latin1' : 'utf8');
  if (text.length === 0) return {};
  const count = text.split('&').length;
  if (count > FORM_PARAMETER_LIMIT) throw new ApiError(400, INVALID_BODY);
  try {
    return qs.parse(text, {
      allowPrototypes: true,
      arrayLimit: Math.max(100, count),
      depth: 32,
      parameterLimit: FORM_PARAMETER_LIMIT,
      strictDepth: true,
      charset: charset === 'iso-8859-1' || charset === 'latin1' ? 'iso-8859-1' : 'utf-8',
    });
  } catch {
    throw new ApiError(400, INVALID_BODY);
  }
}

/** kas's legacy cilium_alert route sends its body as a JSON string. */
const LOOSE_JSON_ROUTE = /\/api\/v4\/internal\/kubernetes\/modules\/cilium_alert\/?$/i;

function settle(state: BodyState, read: Read, raw: IncomingMessage, path: string): void {
  if (state.parsed || read.state === 'partial') return;
  if (read.state === 'too-large') state.parsed = { error: new ApiError(413, { message: '413 Request Entity Too Large' }) };
  else if (read.state === 'failed') state.parsed = { error: new ApiError(400, INVALID_BODY) };
  else {
    try {
      state.parsed = { value: parseBody(read.data, raw, !LOOSE_JSON_ROUTE.test(path)) };
    } catch (err) {
      state.parsed = { error: err as ApiError };
    }
  }
}

/**
 * Reads and parses the body of a request that has passed authentication; JSON and form bodies become
 * `request.body`, their errors are answered now (400 Invalid JSON body, 413). Under /api/scim the text is kept
 * for the SCIM routes, which answer its errors in their own shape (`scimBodyText`).
 */
export async function readRequestBody(req: BodyRequest): Promise<void> {
  const raw = nodeRequest(req);
  if (!hasBody(raw)) return;
  const path = pathOf(req);
  if (isScimPath(path)) {
    const state = stateOf(raw, SCIM_BODY_LIMIT);
    const read = await state.reader.read(SCIM_BODY_LIMIT);
    state.scim = read.state === 'complete' ? { text: read.data.toString('utf8') } : { tooLarge: read.state === 'too-large' };
    return;
  }
  const { type } = mediaType(raw);
  if (!isJsonType(type) && !isFormType(type)) return;
  const state = stateOf(raw, BODY_LIMIT);
  settle(state, await state.reader.read(BODY_LIMIT), raw, path);
  const parsed = state.parsed!;
  if ('error' in parsed) throw parsed.error;
  req.body = parsed.value;
}

/** The SCIM request's body as read after authentication (undefined: the request had none). */
export function scimBodyText(req: BodyRequest): RawBodyText | undefined {
  return states.get(nodeRequest(req))?.scim;
}

/**
 * Global guard, first of every route's guards: a request carrying no credential header may carry its credential
 * as a body parameter, so a JSON or form body of at most CREDENTIAL_BODY_WINDOW bytes is read and, when it
 * parses, given to the authentication guards as `request.body`. Nothing else is read before authentication:
 * a larger body, or one that does not parse, leaves the request to be answered 401 without a credential.
 */
@Injectable()
export class BodyCredentialsGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<BodyRequest>();
    const raw = nodeRequest(req);
    if (!hasBody(raw) || CREDENTIAL_HEADERS.some((name) => raw.headers[name] !== undefined)) return true;
    const path = pathOf(req);
    const { type } = mediaType(raw);
    if (isScimPath(path) || (!isJsonType(type) && !isFormType(type))) return true;
    const state = stateOf(raw, BODY_LIMIT);
    const read = await state.reader.read(CREDENTIAL_BODY_WINDOW);
    settle(state, read, raw, path);
    if (state.parsed && 'value' in state.parsed) req.body = state.parsed.value;
    if (read.state === 'partial') {
      // answered without reading the rest (401): the connection must not keep a half-read body
      const res = context.switchToHttp().getResponse<{ raw?: ServerResponse }>();
      (res.raw ?? (res as unknown as ServerResponse)).once('finish', () => state.reader.abandon());
    }
    return true;
  }
}

/**
 * The body is read after the route's authentication guard, before its handler: every authentication decorator
 * (`@ShellAuth()` …) lists this guard after its scheme's, and routes without one that may receive a body list it
 * alone. A guard rather than an interceptor, so a route runs no interceptor pipeline of its own.
 */
@Injectable()
export class ReadBodyGuard implements CanActivate {
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<BodyRequest>();
    if (hasBody(nodeRequest(req))) await readRequestBody(req);
    return true;
  }
}
