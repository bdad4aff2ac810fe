import { Injectable } from '@nestjs/common';
import { USER_SCHEMA } from './scim.constants';
import { resourceNotFound, scimError } from './scim-exceptions';
import { ScimQuery } from './scim-list-query';
import { ScimScope } from './scim-tokens.service';
import { serviceProviderConfig, singleList, userResourceType, userSchema } from './scim-discovery-documents';

/** Discovery endpoints: a non-empty `filter` is refused (E7), unknown ids are E5. */
@Injectable()
export class ScimDiscoveryService {
  private noFilter(query: ScimQuery): void {
    if (query.filter !== undefined && query.filter.trim() !== '') throw scimError(403, 'Filtering is not supported on this endpoint');
  }

  serviceProviderConfig(scope: ScimScope, query: ScimQuery) {
    this.noFilter(query);
    return serviceProviderConfig(scope.baseUrl);
  }

  schemas(scope: ScimScope, query: ScimQuery) {
    this.noFilter(query);
    return singleList(userSchema(scope.baseUrl));
  }

  schema(scope: ScimScope, id: string, query: ScimQuery) {
    this.noFilter(query);
    if (id !== USER_SCHEMA) throw resourceNotFound(id);
    return userSchema(scope.baseUrl);
  }

  resourceTypes(scope: ScimScope, query: ScimQuery) {
    this.noFilter(query);
    return singleList(userResourceType(scope.baseUrl));
  }

  resourceType(scope: ScimScope, name: string, query: ScimQuery) {
    this.noFilter(query);
    if (name !== 'User') throw resourceNotFound(name);
    return userResourceType(scope.baseUrl);
  }
}
