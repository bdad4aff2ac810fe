/**
 * A typed client of the committed OpenAPI document: `schema.d.ts` is generated from openapi/openapi.json by
 * openapi-typescript (`npm run openapi`), requests go through openapi-fetch. A change of the document that
 * breaks a caller breaks the type check of that caller.
 *
 *   const api = createGitlabInternalApiClient('https://gitlab.example.com', { headers: { 'PRIVATE-TOKEN': token } });
 *   const { data, error, response } = await api.GET('/api/v4/users/{id}', { params: { path: { id: '1' } } });
 */
import createClient, { type ClientOptions, type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

export type { components, operations, paths } from './schema';
export type { Middleware };

export function createGitlabInternalApiClient(baseUrl: string, options: Omit<ClientOptions, 'baseUrl'> = {}) {
  return createClient<paths>({ baseUrl, ...options });
}

export type GitlabInternalApiClient = ReturnType<typeof createGitlabInternalApiClient>;
