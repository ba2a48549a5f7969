import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationArguments } from 'class-validator';
import { emailLookalikeProblem } from './email-lookalikes.js';
import { normaliseEmail } from './normalise-email.js';

/** Puts string input into the canonical e-mail form before validation; other types pass through to be rejected. */
export const NormaliseEmail = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseEmail(value) : value));

/** Refuses invisible characters and mixed scripts (see email-lookalikes.ts); for addresses that create accounts. */
export function IsUnambiguousEmail(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isUnambiguousEmail',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: ({ value }: ValidationArguments) => emailLookalikeProblem(String(value)) ?? '' },
      validator: { validate: (value: unknown) => typeof value !== 'string' || emailLookalikeProblem(value) === undefined },
    });
}
