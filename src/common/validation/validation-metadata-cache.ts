import { getMetadataStorage, type MetadataStorage } from 'class-validator';

type ValidationMetadata = ReturnType<MetadataStorage['getTargetValidationMetadatas']>[number];
type Grouped = ReturnType<MetadataStorage['groupByPropertyName']>;
const INSTALLED = Symbol('validationMetadataCache');

/**
 * class-validator looks up a DTO's rules on every validate() call: it filters the class's rule
 * list, walks every registered DTO class for inherited rules and groups the result by property.
 * The answer only changes when rules are registered (when DTO classes load), so it is memoised per
 * class and options, and any registration empties the cache. Idempotent.
 */
export function cacheValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  const patched = storage as MetadataStorage & { [INSTALLED]?: true };
  if (patched[INSTALLED]) return;
  patched[INSTALLED] = true;

  let byClass = new WeakMap<object, Map<string, ValidationMetadata[]>>();
  let grouped = new WeakMap<ValidationMetadata[], Grouped>();
  const clear = () => {
    byClass = new WeakMap();
    grouped = new WeakMap();
  };

  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${schema}|${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let forClass = byClass.get(target);
    if (!forClass) byClass.set(target, (forClass = new Map()));
    let found = forClass.get(key);
    if (!found) forClass.set(key, (found = lookUp(target, schema, always, strictGroups, groups)));
    return found;
  };

  const group = storage.groupByPropertyName.bind(storage);
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };

  const addValidation = storage.addValidationMetadata.bind(storage);
  storage.addValidationMetadata = (metadata) => {
    clear();
    addValidation(metadata);
  };
  const addConstraint = storage.addConstraintMetadata.bind(storage);
  storage.addConstraintMetadata = (metadata) => {
    clear();
    addConstraint(metadata);
  };
}
