import { ApiError, notFound, paramError } from '../../common/api-error';
import { boolParam, idParam, INVALID, intParam, isPresent, stringParam } from '../../common/coerce';
import { RawParams } from '../../common/params.decorator';
import { ProjectsService } from '../../namespaces/projects.service';
import { Project } from '../../namespaces/entities/project.entity';

/** `:id` of a project: numeric id or URL-encoded full path; unknown → 404 `Project Not Found`. */
export async function findProjectOr404(projects: ProjectsService, id: string): Promise<Project> {
  const project = await projects.find(id.trim());
  if (!project) throw notFound('Project');
  return project;
}

/** Missing required parameters → 400 `{"error":"a is missing, b is missing"}` in the order given. */
export function requireParams(params: RawParams, names: string[]): void {
  const missing = names.filter((n) => !isPresent(params[n]) || (typeof params[n] === 'string' && (params[n] as string).trim() === ''));
  if (missing.length) throw paramError(...missing.map((n) => `${n} is missing`));
}

/** A required parameter as text; an object or array where text is expected → 400 `<name> is invalid`. */
export function requiredString(params: RawParams, name: string): string {
  const value = stringParam(params[name]);
  if (value === undefined) throw paramError(`${name} is invalid`);
  return value;
}

export function optionalBool(params: RawParams, name: string): boolean | undefined {
  const value = boolParam(params[name]);
  if (value === INVALID) throw paramError(`${name} is invalid`);
  return value;
}

export function optionalInt(params: RawParams, name: string): number | undefined {
  const value = intParam(params[name]);
  if (value === INVALID) throw paramError(`${name} is invalid`);
  return value;
}

export function optionalString(params: RawParams, name: string): string | undefined {
  return stringParam(params[name]);
}

/** An ISO-8601 timestamp or date; invalid → 400 `<name> is invalid`; null/empty → null. */
export function optionalTimestamp(params: RawParams, name: string): Date | null | undefined {
  const value = params[name];
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  const text = stringParam(value);
  if (!text || !/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text.trim())) throw paramError(`${name} is invalid`);
  const date = new Date(text.trim());
  if (Number.isNaN(date.getTime())) throw paramError(`${name} is invalid`);
  return date;
}

/** A path id (`:key_id`): positive integer, else 404 with the given resource. */
export function pathId(value: string, resource: string): number {
  const id = idParam(value);
  if (!id) throw notFound(resource);
  return id;
}

export { ApiError };
