/**
 * A failure in words, for start-up and the command-line tools: an Error's stack (or message),
 * the text of anything else, and a sentence, never "undefined", when a library rejected with nothing.
 */
export function describeError(err: unknown, { stack = true } = {}): string {
  if (err instanceof Error) return (stack ? err.stack : undefined) ?? (err.message || err.name);
  if (err === undefined || err === null || err === '') return 'an unknown error (something rejected without saying why; the lines above may tell)';
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err) ?? Object.prototype.toString.call(err);
  } catch {
    return Object.prototype.toString.call(err);
  }
}
