import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { notFound } from '../../common/api-error';
import { isoTimestamp } from '../../common/coerce';
import { BroadcastMessage } from '../entities/broadcast-message.entity';

export interface BroadcastMessageInput {
  message: string;
  startsAt?: Date;
  endsAt?: Date;
  broadcastType?: 'banner' | 'notification';
  targetPath?: string | null;
  targetAccessLevels?: number[];
  showInCli?: boolean;
  dismissable?: boolean;
}

export interface BroadcastMessageView {
  id: number;
  message: string;
  starts_at: string | null;
  ends_at: string | null;
  active: boolean;
  target_access_levels: number[];
  target_path: string | null;
  broadcast_type: string;
  dismissable: boolean;
  show_in_cli: boolean;
}

/** Broadcast messages. */
@Injectable()
export class BroadcastMessagesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  static view(b: BroadcastMessage, now = Date.now()): BroadcastMessageView {
    const starts = new Date(b.starts_at).getTime();
    const ends = new Date(b.ends_at).getTime();
    return {
      id: Number(b.id),
      message: b.message,
      starts_at: isoTimestamp(b.starts_at),
      ends_at: isoTimestamp(b.ends_at),
      active: starts <= now && now < ends,
      target_access_levels: (b.target_access_levels ?? []).map(Number),
      target_path: b.target_path,
      broadcast_type: b.broadcast_type,
      dismissable: b.dismissable,
      show_in_cli: b.show_in_cli,
    };
  }

  async create(input: BroadcastMessageInput): Promise<BroadcastMessageView> {
    const repo = this.dataSource.getRepository(BroadcastMessage);
    const startsAt = input.startsAt ?? new Date();
    const saved = await repo.save(
      repo.create({
        message: input.message,
        starts_at: startsAt,
        ends_at: input.endsAt ?? new Date(startsAt.getTime() + 60 * 60 * 1000),
        broadcast_type: input.broadcastType ?? 'banner',
        target_path: input.targetPath ?? null,
        target_access_levels: input.targetAccessLevels ?? [],
        show_in_cli: input.showInCli ?? true,
        dismissable: input.dismissable ?? false,
      }),
    );
    const row = await repo.findOneByOrFail({ id: saved.id });
    return BroadcastMessagesService.view(row);
  }

  /** Deletes and answers the deleted entity (GitLab answers so); unknown → 404 `Broadcast Message Not Found`. */
  async delete(id: number): Promise<BroadcastMessageView> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(BroadcastMessage);
      const row = await repo.findOne({ where: { id } });
      if (!row) throw notFound('Broadcast Message');
      await repo.delete(row.id);
      return BroadcastMessagesService.view(row);
    });
  }
}
