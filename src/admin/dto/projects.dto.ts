import { IsIn } from 'class-validator';
import { AtLeastOneOf, Bool, Optional, Str } from '../../common/params';
import { REPOSITORY_ACCESS } from '../../namespaces/entities/project.entity';
import { VisibilityName } from '../../namespaces/entities/namespace.entity';
import { VISIBILITY_NAMES } from './groups.dto';
import { Id } from './users.dto';

export type RepositoryAccessName = keyof typeof REPOSITORY_ACCESS;
const REPOSITORY_ACCESS_NAMES = Object.keys(REPOSITORY_ACCESS) as RepositoryAccessName[];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the mixin pattern requires any[]
type Ctor<T = object> = new (...args: any[]) => T;

/** The attributes of creation and update, declared after the name and path. */
function WithProjectAttributes<B extends Ctor>(Base: B) {
  class ProjectAttributes extends Base {
    @Optional(Str, { api: { enum: VISIBILITY_NAMES } }) @IsIn(VISIBILITY_NAMES) visibility?: VisibilityName;
    @Optional(Str, { api: { description: '"" clears it' } }) default_branch?: string;
    @Optional(Str, { api: { enum: REPOSITORY_ACCESS_NAMES } }) @IsIn(REPOSITORY_ACCESS_NAMES) repository_access_level?: RepositoryAccessName;
    @Optional(Bool) lfs_enabled?: boolean;
    @Optional(Bool) printing_merge_request_link_enabled?: boolean;
    @Optional(Str, { api: { description: 'one of the configured Gitaly storages' } }) repository_storage?: string;
    @Optional(Bool, { api: { description: 'product extension' } }) archived?: boolean;
    @Optional(Bool, { api: { description: 'product extension' } }) repository_read_only?: boolean;
    @Optional(Id, { api: { description: 'product extension' } }) creator_id?: number;
  }
  return ProjectAttributes;
}

@AtLeastOneOf('name', 'path')
class NewProjectLocation {
  @Optional(Str, { api: { description: 'default: the path' } }) name?: string;
  @Optional(Str, { api: { description: 'default: made from the name' } }) path?: string;
  @Optional(Str, { api: { description: "id or full path (default: the calling admin's personal namespace)" } }) namespace_id?: string;
}

class ProjectNames {
  @Optional(Str) name?: string;
  @Optional(Str) path?: string;
}

/** `namespace_id` is read by `POST /projects` only (`POST /projects/user/:user_id` creates in the user's namespace). */
export class CreateProjectBody extends WithProjectAttributes(NewProjectLocation) {}

export class UpdateProjectBody extends WithProjectAttributes(ProjectNames) {}

export type ProjectAttributesInput = CreateProjectBody | UpdateProjectBody;
