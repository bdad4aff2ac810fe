/** Every migration, in order. Modules append theirs; file names start with the timestamp. */
import { CoreSchema1764400000000 } from './1764400000000-core-schema';
import { RedirectRoutes1764400000001 } from './1764400000001-redirect-routes';

export const MIGRATIONS: Function[] = [CoreSchema1764400000000, RedirectRoutes1764400000001];
