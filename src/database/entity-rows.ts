import { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * An entity's columns as a raw statement selects them (`alias."col" AS "alias_col"`), and the entity read back
 * from such a row with TypeORM's own column metadata and value hydration. Hot paths write the statement once and
 * run it prepared (see prepared-statements.ts) instead of building it with a query builder on every request;
 * the entity they get is the one `createQueryBuilder(…).getOne()` would give.
 */
export class EntityRows<T extends ObjectLiteral> {
  /** The select list of every column, for the statement's SELECT clause. */
  readonly select: string;
  private readonly metadata: EntityMetadata;
  private readonly columns: { column: ColumnMetadata; key: string }[];
  private readonly primaryKey: string;

  constructor(
    private readonly dataSource: DataSource,
    target: EntityTarget<T>,
    readonly alias: string,
  ) {
    this.metadata = dataSource.getMetadata(target);
    this.columns = this.metadata.columns
      .filter((column) => !column.isVirtual)
      .map((column) => ({ column, key: `${alias}_${column.databaseName}` }));
    this.select = this.columns.map(({ column, key }) => `${alias}."${column.databaseName}" AS "${key}"`).join(', ');
    this.primaryKey = `${alias}_${this.metadata.primaryColumns[0].databaseName}`;
  }

  /** The entity in `row`, or null when the row holds none (a left join that matched nothing). */
  read(row: Record<string, unknown>): T | null {
    if (row[this.primaryKey] === null || row[this.primaryKey] === undefined) return null;
    const entity = this.metadata.create() as T;
    const driver = this.dataSource.driver;
    for (const { column, key } of this.columns) column.setEntityValue(entity, driver.prepareHydratedValue(row[key], column));
    return entity;
  }
}
