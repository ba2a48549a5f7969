import { ApiPropertyOptional } from '@nestjs/swagger';

/**
 * OpenAPI for a resource's `ordering` parameter: its whitelist and default, in words and as a
 * pattern that accepts exactly what parseOrdering does (blank parts and spaces around a part are ignored).
 */
export const ApiOrdering = (allowed: Record<string, string>, fallback: string) => {
  const part = `\\s*(?:-?(?:${Object.keys(allowed).join('|')}))?\\s*`;
  return ApiPropertyOptional({
    type: String,
    description:
      `Comma-separated fields out of: ${Object.keys(allowed).join(', ')}; prefix "-" for descending. ` +
      `Default "${fallback}"; id is always the last tiebreak. Unknown fields answer 400.`,
    example: fallback.startsWith('-') ? fallback.slice(1) : `-${fallback}`,
    maxLength: 200,
    pattern: `^${part}(?:,${part})*$`,
  });
};
