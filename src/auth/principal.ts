import { User } from '../identity/entities/user.entity';

/** What a guard leaves on `request.user`, by scheme. */
export type Principal =
  | { scheme: 'shell' }
  | { scheme: 'kas' }
  | { scheme: 'kas-agent'; agent: unknown; tokenId: number }
  | { scheme: 'admin' | 'user'; user: User; tokenId: number; scopes: string[] }
  | { scheme: 'scim'; token: unknown }
  | { scheme: 'error-tracking' };
