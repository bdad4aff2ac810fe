import { Integer } from './types';
import { Optional } from './decorators';

/** GitLab's pagination parameters (`page`, `per_page`), for list routes' query DTOs to extend. */
export class PageParams {
  @Optional(Integer(), { api: { description: 'default 1', example: 1 } }) page?: number;
  @Optional(Integer(), { api: { description: 'default 20, at most 100', example: 20 } }) per_page?: number;
}
