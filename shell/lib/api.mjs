// The internal API client: every request carries a fresh Gitlab-Shell-Api-Request JWT (HS256, iss
// gitlab-shell, 60 s) signed with the trimmed content of the shell secret file, as gitlab-shell signs it.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';

const RETRIES = 2;

/** An answer the user is shown as is (gitlab-shell's ApiError). */
export class ApiError extends Error {}

function b64url(value) {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** The JWT gitlab-shell sends: header {"alg":"HS256","typ":"JWT"}, claims {iss, iat, exp = iat + 60}. */
export function signShellJwt(secret, now = Math.floor(Date.now() / 1000)) {
  const input = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ iss: 'gitlab-shell', iat: now, exp: now + 60 })}`;
  const signature = createHmac('sha256', Buffer.from(secret.trim(), 'utf8')).update(input).digest('base64url');
  return `${input}.${signature}`;
}

function retryable(status) {
  return status === 429 || (status >= 500 && status !== 501);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export class InternalApi {
  constructor(config) {
    this.config = config;
  }

  secret() {
    try {
      return readFileSync(this.config.secretFile, 'utf8');
    } catch {
      throw new ApiError(`Failed to read the secret file ${this.config.secretFile}`);
    }
  }

  /**
   * Sends one request to `/api/v4/internal<path>`. 429 and 5xx (but 501) and connection failures are retried
   * twice; then `Internal API unreachable`. Another non-2xx answer throws its JSON `message`, or
   * `Internal API error (<status>)`. Returns `{status, body}` for 2xx (and for the statuses in `accept`).
   */
  async request(method, path, { query, body, accept = [] } = {}) {
    const url = new URL(`${this.config.gitlabUrl}/api/v4/internal${path}`);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null) url.searchParams.set(k, String(v));
    const secret = this.secret();
    for (let attempt = 0; attempt <= RETRIES; attempt++) {
      if (attempt) await sleep(100 * 2 ** attempt);
      let res;
      try {
        res = await fetch(url, {
          method,
          headers: {
            'Gitlab-Shell-Api-Request': signShellJwt(secret),
            'Content-Type': 'application/json',
            'User-Agent': 'GitLab-Shell',
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          redirect: 'manual',
          signal: AbortSignal.timeout(this.config.httpTimeoutMs),
        });
      } catch {
        continue; // connection refused, reset or timed out
      }
      const text = await res.text();
      if (retryable(res.status)) continue;
      let json;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      if (res.status >= 300 && res.status < 400) throw new ApiError(`Internal API returned redirect (${res.status})`);
      if ((res.status >= 200 && res.status < 300) || accept.includes(res.status)) {
        if (json === undefined && text !== 'null') throw new ApiError('Parsing failed');
        return { status: res.status, body: json ?? null };
      }
      if (json && typeof json.message === 'string') throw new ApiError(json.message);
      throw new ApiError(`Internal API error (${res.status})`);
    }
    throw new ApiError('Internal API unreachable');
  }

  get(path, query) {
    return this.request('GET', path, { query });
  }

  post(path, body, accept) {
    return this.request('POST', path, { body, accept });
  }
}
