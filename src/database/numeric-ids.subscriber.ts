import { EntitySubscriberInterface, InsertEvent } from 'typeorm';

/**
 * TypeORM turns generated bigint ids into strings after an insert; every other read returns them as numbers
 * (see pg-types.ts). This puts the number back, so a saved entity has the same id type as a loaded one.
 */
export class NumericIdsSubscriber implements EntitySubscriberInterface {
  afterInsert(event: InsertEvent<Record<string, unknown>>): void {
    const entity = event.entity;
    if (!entity) return;
    for (const column of event.metadata.primaryColumns) {
      const value = entity[column.propertyName];
      if (typeof value === 'string' && /^\d+$/.test(value)) entity[column.propertyName] = Number(value);
    }
  }
}
