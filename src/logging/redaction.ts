/** Names of fields and query parameters whose values are secrets: never written to a log. */
const SECRET_NAME = /pass(word|phrase)?|secret|token|authori[sz]ation|cookie|api[-_]?key|private[-_]?key|credential|signature/i;
export const REDACTED = '[Redacted]';
/** Deeper than this, a logged value is cut off rather than walked (log lines are not for whole object graphs). */
const MAX_DEPTH = 16;

export const isSecretName = (name: string): boolean => SECRET_NAME.test(name);

/**
 * A copy of a free-form log object with the value of every secret-named field replaced, at any
 * depth, arrays included. Errors are kept whole for pino's error serializer, which writes only
 * their type, message and stack.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Error) return value;
  if (depth >= MAX_DEPTH) return '[Too deep]';
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[key] = isSecretName(key) ? REDACTED : redactSecrets(item, depth + 1);
  return copy;
}

/** A request URL for the log line: the values of secret-named query parameters (`?token=…`) are replaced. */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  // No secret name anywhere in the query, and nothing percent-encoded that could hide one: nothing to replace.
  if (!SECRET_NAME.test(url.slice(start + 1)) && !url.includes('%', start)) return url;
  const query = url
    .slice(start + 1)
    .split('&')
    .map((pair) => {
      const end = pair.indexOf('=');
      const name = end === -1 ? pair : pair.slice(0, end);
      return end !== -1 && isSecretName(safeDecode(name)) ? `${name}=${REDACTED}` : pair;
    })
    .join('&');
  return `${url.slice(0, start)}?${query}`;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
