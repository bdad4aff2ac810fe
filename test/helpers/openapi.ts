import { loadOpenApiDocument, OpenApiDocument, Operation, operationsOf } from '../../src/contract/requests';

export type { Operation } from '../../src/contract/requests';
export { samplePath } from '../../src/contract/requests';

export function loadOpenApi(): OpenApiDocument {
  return loadOpenApiDocument();
}

/** Every operation of the committed document. */
export function operations(): Operation[] {
  return operationsOf(loadOpenApi());
}
