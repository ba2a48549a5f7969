import { ApiPropertyOptional } from '@nestjs/swagger';

/** OpenAPI for a resource's `ordering` parameter: its whitelist and default. */
export const ApiOrdering = (allowed: Record<string, string>, fallback: string) =>
  ApiPropertyOptional({
    description:
      `Comma-separated fields out of: ${Object.keys(allowed).join(', ')}; prefix "-" for descending. ` +
      `Default "${fallback}"; id is always the last tiebreak. Unknown fields answer 400.`,
    example: fallback.startsWith('-') ? fallback.slice(1) : `-${fallback}`,
    maxLength: 200,
  });
