import type { ArgumentMetadata } from '@nestjs/common';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { QueryInt } from '../numbers/query-int.decorator.js';
import { ProblemException } from '../problems/problem.exception.js';
import { createValidationPipe } from './validation.pipe.js';
import { LONGEST_REMEMBERED_QUERY, VALIDATED_QUERIES_PER_CLASS, ValidatedQueries } from './validated-queries.js';

class ListQuery {
  @IsOptional()
  @QueryInt({ min: 1, max: 1000 })
  page: number = 1;

  @IsOptional()
  @IsString()
  @MaxLength(600)
  search?: string;
}

class OtherListQuery extends ListQuery {}

const whole = (metatype: ArgumentMetadata['metatype'], type: ArgumentMetadata['type'] = 'query'): ArgumentMetadata => ({ type, metatype });

describe('The global validation pipe on a whole query', () => {
  it('validates a query string once: the same query answers the same frozen DTO', async () => {
    const pipe = createValidationPipe();
    const first = (await pipe.transform({ page: '3' }, whole(ListQuery))) as ListQuery;
    expect(first).toBeInstanceOf(ListQuery);
    expect(first).toEqual({ page: 3, search: undefined });
    expect(Object.isFrozen(first)).toBe(true);
    expect(await pipe.transform({ page: '3' }, whole(ListQuery))).toBe(first);
    expect(await pipe.transform({ page: '4' }, whole(ListQuery))).toEqual({ page: 4, search: undefined });
    // Another DTO class with the same query string gets its own DTO.
    const other = await pipe.transform({ page: '3' }, whole(OtherListQuery));
    expect(other).toBeInstanceOf(OtherListQuery);
    expect(other).not.toBe(first);
  });

  it('refuses a bad query every time (a refusal is not kept)', async () => {
    const pipe = createValidationPipe();
    for (const query of [{ page: '0x10' }, { page: '0x10' }, { page: '2', extra: 'x' }, { page: '2', extra: 'x' }]) {
      await expect(pipe.transform(query, whole(ListQuery))).rejects.toBeInstanceOf(ProblemException);
    }
    expect(await pipe.transform({ page: '2' }, whole(ListQuery))).toEqual({ page: 2, search: undefined });
  });

  it('keeps at most VALIDATED_QUERIES_PER_CLASS queries per class, the oldest leaving first', async () => {
    const pipe = createValidationPipe();
    const oldest = await pipe.transform({ page: '1' }, whole(ListQuery));
    const newer = await pipe.transform({ page: '2' }, whole(ListQuery));
    expect(await pipe.transform({ page: '1' }, whole(ListQuery))).toBe(oldest); // a hit does not reorder
    for (let n = 0; n < VALIDATED_QUERIES_PER_CLASS - 1; n++) await pipe.transform({ page: '2', search: `term ${n}` }, whole(ListQuery));
    const again = await pipe.transform({ page: '1' }, whole(ListQuery));
    expect(again).toEqual(oldest);
    expect(again).not.toBe(oldest);
    expect(await pipe.transform({ page: '2' }, whole(ListQuery))).not.toBe(newer); // pushed out by the first one coming back
  });

  it('validates long query strings, bodies and single query values every time', async () => {
    const pipe = createValidationPipe();
    const long = { search: 'x'.repeat(LONGEST_REMEMBERED_QUERY) };
    const first = await pipe.transform(long, whole(ListQuery));
    expect(first).toEqual({ page: 1, search: long.search });
    expect(Object.isFrozen(first)).toBe(false);
    expect(await pipe.transform(long, whole(ListQuery))).not.toBe(first);

    const body = await pipe.transform({ page: '3' }, whole(ListQuery, 'body'));
    expect(Object.isFrozen(body)).toBe(false);
    expect(await pipe.transform({ page: '3' }, whole(ListQuery, 'body'))).not.toBe(body);

    expect(await pipe.transform('7', { type: 'query', metatype: String, data: 'page' })).toBe('7');
  });
});

describe('ValidatedQueries', () => {
  it('drops nothing when a query validated twice at once is kept again', () => {
    const kept = new ValidatedQueries(2);
    kept.remember(ListQuery, '{"page":"1"}', new ListQuery());
    kept.remember(ListQuery, '{"page":"2"}', new ListQuery());
    kept.remember(ListQuery, '{"page":"2"}', new ListQuery());
    expect(kept.get(ListQuery, '{"page":"1"}')).toBeDefined();
    kept.remember(ListQuery, '{"page":"3"}', new ListQuery());
    expect(kept.get(ListQuery, '{"page":"1"}')).toBeUndefined();
    expect(kept.get(ListQuery, '{"page":"2"}')).toBeDefined();
  });
});
