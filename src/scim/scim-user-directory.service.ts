import { Injectable } from '@nestjs/common';
import { LIST_RESPONSE_SCHEMA } from './scim.constants';
import { parseScimFilter } from './scim-filter';
import { ScimIdentitiesRepository } from './scim-identities.repository';
import { listWindow, ScimListResponse, ScimQuery } from './scim-list-query';
import { ScimScope } from './scim-tokens.service';
import { identityResource, ScimResource, selectAttributes } from './scim-user.presenter';

/** GET /Users (filter, paging, attribute selection) and GET /Users/:id of one scope. */
@Injectable()
export class ScimUserDirectoryService {
  constructor(private readonly identities: ScimIdentitiesRepository) {}

  async list(scope: ScimScope, query: ScimQuery): Promise<ScimListResponse> {
    const terms = parseScimFilter(query.filter);
    const window = listWindow(query);
    const { total, rows } = await this.identities.page(scope, terms ?? [], window);
    return {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: total,
      itemsPerPage: window.count,
      startIndex: window.startIndex,
      Resources: rows.map((i) => selectAttributes(identityResource(i, scope.baseUrl), query.attributes, query.excludedAttributes)),
    };
  }

  async get(scope: ScimScope, id: string, query: ScimQuery): Promise<ScimResource> {
    const identity = await this.identities.get(scope, id);
    return selectAttributes(identityResource(identity, scope.baseUrl), query.attributes, query.excludedAttributes);
  }
}
