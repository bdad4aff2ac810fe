import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { generateKasSecret, generateShellSecret, readOrCreateSecretFile, readSecretFile } from './secret-files';

/** The JWT keys of the shell and kas schemes, current and (during a rotation) previous. */
@Injectable()
export class AuthSecrets {
  readonly shell: string;
  readonly shellPrevious?: string;
  readonly kas: Buffer;
  readonly kasPrevious?: Buffer;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.shell = readOrCreateSecretFile(config.gitlabShellSecretFile, generateShellSecret);
    if (config.gitlabShellPreviousSecretFile) this.shellPrevious = readSecretFile(config.gitlabShellPreviousSecretFile);
    this.kas = decodeKasSecret(readOrCreateSecretFile(config.gitlabKasSecretFile, generateKasSecret), config.gitlabKasSecretFile);
    if (config.gitlabKasPreviousSecretFile)
      this.kasPrevious = decodeKasSecret(readSecretFile(config.gitlabKasPreviousSecretFile), config.gitlabKasPreviousSecretFile);
  }
}

function decodeKasSecret(content: string, file: string): Buffer {
  const key = Buffer.from(content, 'base64');
  if (key.length !== 32) throw new Error(`${file} must hold the base64 encoding of 32 bytes (found ${key.length} bytes)`);
  return key;
}
