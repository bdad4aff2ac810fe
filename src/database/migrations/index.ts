/** Every migration, in order (one per line). Modules append theirs; file names start with the timestamp. */
import { CoreSchema1764400000000 } from './1764400000000-core-schema';
import { RedirectRoutes1764400000001 } from './1764400000001-redirect-routes';
import { ApplicationSettings1764400000002 } from './1764400000002-application-settings';

export const MIGRATIONS: Function[] = [
  // core
  CoreSchema1764400000000,
  RedirectRoutes1764400000001,
  ApplicationSettings1764400000002,
];
