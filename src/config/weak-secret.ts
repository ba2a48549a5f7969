/** Parts of the secrets people copy from examples and tutorials (compared without case or punctuation). */
const WELL_KNOWN_PARTS = [
  'your256bitsecret',
  'changeme',
  'replaceme',
  'placeholder',
  'secretkey',
  'supersecret',
  'mysecret',
  'jwtsecret',
  'password',
  'qwerty',
  '0123456789',
  'abcdefghij',
];

/** Below this many bits by a per-character estimate a secret is guessable (a random 22-character base64 string has ~128). */
const MIN_ESTIMATED_BITS = 100;

/** The smallest p (up to half the length) with s[i] === s[i + p] everywhere: "abcabcab" repeats every 3. */
function repeatPeriod(secret: string): number | undefined {
  for (let p = 1; p <= secret.length / 2; p++) if (secret.slice(p) === secret.slice(0, secret.length - p)) return p;
  return undefined;
}

/** Length × Shannon entropy of the character distribution: a generous upper bound on what a random-looking secret holds. */
export function estimatedBits(secret: string): number {
  const counts = new Map<string, number>();
  for (const char of secret) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...secret].length;
  let entropy = 0;
  for (const count of counts.values()) entropy -= (count / length) * Math.log2(count / length);
  return entropy * length;
}

/**
 * Why a signing secret is too weak to use in production, or undefined. Catches the obvious:
 * well-known examples (jwt.io's "your-256-bit-secret", "changeme"…), repetitions ("aaaa…",
 * "secret-secret-…") and low-entropy strings. It cannot prove a secret random; generate one
 * (`openssl rand -base64 48`).
 */
export function weakSecretReason(secret: string): string | undefined {
  const letters = secret.toLowerCase().replace(/[^a-z0-9]/g, '');
  const part = WELL_KNOWN_PARTS.find((p) => letters.includes(p));
  if (part) return `it contains a well-known example ("${part}")`;
  const period = repeatPeriod(secret);
  if (period !== undefined) return `it repeats itself every ${period} characters`;
  if (estimatedBits(secret) < MIN_ESTIMATED_BITS) return 'it has too little entropy';
  return undefined;
}
