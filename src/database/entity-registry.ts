/**
 * The entities of the loaded modules. Each module registers its own list when its module file loads
 * (`export const X_ENTITIES = registerEntities([...])`, also passed to `TypeOrmModule.forFeature`); the data
 * source reads the registry when it is built, so the database layer imports no feature. Whatever loads the
 * modules (the app module, the TypeORM CLI data source) does so before building the data source.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
type EntityClass = Function;

const registry = new Set<EntityClass>();

export function registerEntities<T extends EntityClass[]>(entities: [...T]): T {
  for (const entity of entities) registry.add(entity);
  return entities;
}

/** Every entity registered so far, in registration order. */
export function registeredEntities(): EntityClass[] {
  return [...registry];
}
