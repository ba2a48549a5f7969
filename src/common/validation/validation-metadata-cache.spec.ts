import { getMetadataStorage, IsInt, IsString, validate } from 'class-validator';
import { cacheValidationMetadata } from './validation-metadata-cache.js';

describe('cacheValidationMetadata', () => {
  cacheValidationMetadata();
  const storage = getMetadataStorage();
  const rulesOf = (target: object) => storage.getTargetValidationMetadatas(target as () => void, '', false, false);

  class Parent {
    @IsInt()
    id!: unknown;
  }

  it('looks the rules of a class up once, and still validates by them', async () => {
    expect(rulesOf(Parent)).toBe(rulesOf(Parent));
    expect(storage.groupByPropertyName(rulesOf(Parent))).toBe(storage.groupByPropertyName(rulesOf(Parent)));
    const bad = Object.assign(new Parent(), { id: 'x' });
    expect((await validate(bad)).map((e) => e.property)).toEqual(['id']);
    expect(await validate(Object.assign(new Parent(), { id: 1 }))).toEqual([]);
  });

  it('forgets what it knew when rules are registered later (a class declared afterwards)', async () => {
    const before = rulesOf(Parent);
    class Child extends Parent {
      @IsString()
      name!: unknown;
    }
    expect(rulesOf(Parent)).not.toBe(before);
    expect(rulesOf(Parent)).toHaveLength(1);
    expect(rulesOf(Child)).toHaveLength(2); // its own rule and the inherited one
    const errors = await validate(Object.assign(new Child(), { id: 'x', name: 3 }));
    expect(errors.map((e) => e.property).sort()).toEqual(['id', 'name']);
  });

  it('installs once', () => {
    // Compares the method's identity; it is never called unbound.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const lookUp = storage.getTargetValidationMetadatas;
    cacheValidationMetadata();
    // eslint-disable-next-line @typescript-eslint/unbound-method
    expect(storage.getTargetValidationMetadatas).toBe(lookUp);
  });
});
