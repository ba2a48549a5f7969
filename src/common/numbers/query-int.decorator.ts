import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { ValidateBy } from 'class-validator';
import { parseCanonicalInt } from './canonical-int.js';

/**
 * An integer query parameter read with parseCanonicalInt: `0x10`, `1e3`, `+16` or a number
 * beyond `max` is a 400 naming the parameter, never a loosely read value or a database error.
 */
export function QueryInt(range: { min: number; max: number }) {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) => parseCanonicalInt(value, range.min, range.max) ?? value),
    ValidateBy({
      name: 'queryInt',
      validator: {
        validate: (value: unknown) => Number.isSafeInteger(value) && (value as number) >= range.min && (value as number) <= range.max,
        defaultMessage: (args) => `${args?.property} must be a whole number from ${range.min} to ${range.max} (decimal digits only)`,
      },
    }),
  );
}
