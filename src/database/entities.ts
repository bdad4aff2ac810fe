/**
 * Every entity of the product. Modules add theirs here (one per line, grouped by module) and register them
 * with TypeOrmModule.forFeature; the data source and the migration generator read this one list.
 */
import { Identity } from '../identity/identity.entity';
import { Key } from '../identity/key.entity';
import { PersonalAccessToken } from '../identity/personal-access-token.entity';
import { User } from '../identity/user.entity';
import { Member } from '../namespaces/member.entity';
import { Namespace } from '../namespaces/namespace.entity';
import { Project } from '../namespaces/project.entity';
import { RedirectRoute } from '../namespaces/redirect-route.entity';
import { ApplicationSetting } from '../settings/application-setting.entity';
// keys
import { GroupSshCertificate } from '../keys/group-ssh-certificate.entity';
import { UserTwoFactor } from '../keys/user-two-factor.entity';
// error-tracking
import { ErrorTrackingClientKey } from '../error-tracking/error-tracking-client-key.entity';
import { ProjectErrorTrackingSetting } from '../error-tracking/project-error-tracking-setting.entity';

export const ENTITIES: Function[] = [
  // core
  User,
  Identity,
  PersonalAccessToken,
  Key,
  Namespace,
  Project,
  Member,
  RedirectRoute,
  ApplicationSetting,
  // keys
  UserTwoFactor,
  GroupSshCertificate,
  // error-tracking
  ProjectErrorTrackingSetting,
  ErrorTrackingClientKey,
];
