import { ApiOrdering } from '../../common/pagination/api-ordering.decorator.js';
import { PageQueryDto } from '../../common/pagination/page-query.dto.js';

export const CATEGORY_ORDERING_FIELDS = { id: 'id', name: 'name', slug: 'slug', createdAt: 'createdAt' } as const;
export const CATEGORY_DEFAULT_ORDERING = 'name';

export class ListCategoriesQueryDto extends PageQueryDto {
  @ApiOrdering(CATEGORY_ORDERING_FIELDS, CATEGORY_DEFAULT_ORDERING)
  override ordering?: string = undefined;
}
