import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';
import { Decimal, parseMoney } from './money.js';

export const MONEY_MAX = '99999999.99';
/** Money as the API answers it: a decimal string with exactly two places (totals may exceed MONEY_MAX). */
export const MONEY_PATTERN = '^\\d+\\.\\d{2}$';
const MAX = new Decimal(MONEY_MAX);

export interface MoneyRule {
  /** Accept 0 (price filters); amounts that are stored are always > 0. */
  allowZero?: boolean;
}

const describe = (rule: MoneyRule) => `${rule.allowZero ? 'a non-negative' : 'a positive'} amount with at most two decimals (at most ${MONEY_MAX})`;

/** True when `value` is API money input (string or number, ≤ 2 decimals) within the rule's range. */
export function isMoney(value: unknown, rule: MoneyRule = {}): boolean {
  const amount = parseMoney(value);
  return amount !== undefined && (rule.allowZero ? amount.gte(0) : amount.gt(0)) && amount.lte(MAX);
}

/** class-validator rule for money input; the value stays as sent and is read with parseMoney. */
export function IsMoney(rule: MoneyRule = {}, options: ValidationOptions = {}): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isMoney',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: ({ property }: ValidationArguments) => `${property} must be ${describe(rule)}`, ...options },
      validator: { validate: (value: unknown) => isMoney(value, rule) },
    });
}

/** OpenAPI for a money input field: a decimal string or a number, two decimals at most. */
export const ApiMoneyProperty = (rule: MoneyRule = {}, options: ApiPropertyOptions = {}) =>
  applyDecorators(
    ApiProperty({
      description: `Money: ${describe(rule)}, as a string ("19.99") or a JSON number (19.99)`,
      oneOf: [
        { type: 'string', pattern: '^\\d{1,8}(\\.\\d{1,2})?$', example: '19.99' },
        // No multipleOf 0.01: validators compute it in binary floating point and refuse 19.99.
        { type: 'number', minimum: rule.allowZero ? 0 : 0.01, maximum: Number(MONEY_MAX), example: 19.99 },
      ],
      example: '19.99',
      ...options,
    } as ApiPropertyOptions),
  );
