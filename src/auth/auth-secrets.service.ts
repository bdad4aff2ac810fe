import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { loadJwtSecrets } from './secret-files';

/** The JWT keys of the shell and kas schemes, current and (during a rotation) previous. */
@Injectable()
export class AuthSecrets {
  readonly shell: string;
  readonly shellPrevious?: string;
  readonly kas: Buffer;
  readonly kasPrevious?: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const secrets = loadJwtSecrets(config);
    this.shell = secrets.shell;
    this.shellPrevious = secrets.shellPrevious;
    this.kas = secrets.kas;
    this.kasPrevious = secrets.kasPrevious;
  }
}
