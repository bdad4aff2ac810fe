import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError, badRequest, modelError, notFound } from '../common/api-error';
import { idParam } from '../common/coerce';
import { uniqueViolation } from '../common/db-errors';
import { parseSshPublicKey } from '../identity/ssh-key';
import { GroupsService } from '../namespaces/groups.service';
import { GroupSshCertificate } from './entities/group-ssh-certificate.entity';
import { isUnstorableString } from '../common/storable-text';
import { CreateSshCertificateRequest } from './dto/keys.dto';

export interface SshCertificateBody {
  id: number;
  title: string;
  key: string;
  created_at: string;
}

/** Admin: CA keys of top-level groups. */
@Injectable()
export class SshCertificatesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly groups: GroupsService,
  ) {}

  /** `title` and `key` were given as text (the DTO answers `title is missing, key is missing`). */
  async create(groupParam: string, input: CreateSshCertificateRequest): Promise<SshCertificateBody> {
    const { title, key } = input;
    const group = await this.findGroup(groupParam);
    if (group.parent_id !== null) throw badRequest('Group must be a top-level group');
    const errors: Record<string, string[]> = {};
    if (title.trim() === '') errors.title = ["can't be blank"];
    else if ([...title].length > 255) errors.title = ['is too long (maximum is 255 characters)'];
    else if (isUnstorableString(title)) errors.title = ['is invalid'];
    const parsed = isUnstorableString(key) ? null : parseSshPublicKey(key);
    if (!parsed) errors.key = ['is invalid'];
    if (Object.keys(errors).length) throw modelError(errors);
    const repo = this.dataSource.getRepository(GroupSshCertificate);
    const taken = () => modelError({ fingerprint: ['has already been taken'] });
    if (await repo.exists({ where: { fingerprint: parsed!.fingerprintSha256 } })) throw taken();
    try {
      const cert = await repo.save(
        repo.create({ namespace_id: group.id, title, key: parsed!.normalized, fingerprint: parsed!.fingerprintSha256 }),
      );
      return { id: Number(cert.id), title: cert.title, key: cert.key, created_at: new Date(cert.created_at).toISOString() };
    } catch (err) {
      if (uniqueViolation(err) !== null) throw taken();
      throw err;
    }
  }

  async remove(groupParam: string, certParam: string): Promise<void> {
    const group = await this.findGroup(groupParam);
    const id = idParam(certParam);
    const result = id ? await this.dataSource.getRepository(GroupSshCertificate).delete({ id, namespace_id: group.id }) : { affected: 0 };
    if (!result.affected) throw new ApiError(404, { message: 'SSH Certificate not found' });
  }

  /** A group by id or full path; a numeric id beyond the id range matches nothing (never a database error). */
  private async findGroup(param: string) {
    const group = /^\d+$/.test(param) && idParam(param) === null ? null : await this.groups.find(param);
    if (!group) throw notFound('Group');
    return group;
  }
}
