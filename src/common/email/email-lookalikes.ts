/**
 * Rejects addresses that can look like another one after normalisation (normalise-email.ts):
 *
 * - invisible characters: control (Cc), format (Cf, e.g. the zero-width space U+200B), private-use,
 *   unassigned and surrogate code points, and every other default-ignorable code point
 *   (variation selectors, the Hangul fillers, ...);
 * - non-ASCII punctuation, symbols and spaces (U+2010 HYPHEN looks like `-`);
 * - mixed scripts: the local part as a whole, and each label of the domain, must use the letters
 *   and digits of one script: Latin, or a single other one (a pure Cyrillic `иван@пример.рф` is
 *   fine, `pаypal` with a Cyrillic `а` is not). ASCII digits and ASCII punctuation (. _ - + ...)
 *   go with every script, combining marks with the letter they sit on, and a character that Unicode
 *   gives several scripts (Script_Extensions, e.g. the Japanese long-vowel mark ー) with any of
 *   them. Han, Hiragana and Katakana count as one (Japanese), as do Han and Hangul (Korean) and
 *   Han and Bopomofo (Chinese), as in Unicode TR 39's "highly restrictive" level. Letters of
 *   scripts not named below count as one further script, "other".
 *
 * Not caught: a label wholly in another script that happens to look Latin (Cyrillic `сосо` vs
 * Latin `coco`); that needs Unicode's confusables table.
 */
const WRITING_SYSTEMS: Record<string, string[]> = {
  Han: ['Chinese', 'Japanese', 'Korean'],
  Hiragana: ['Japanese'],
  Katakana: ['Japanese'],
  Hangul: ['Korean'],
  Bopomofo: ['Chinese'],
  ...Object.fromEntries(
    [
      'Latin',
      'Greek',
      'Cyrillic',
      'Armenian',
      'Georgian',
      'Hebrew',
      'Arabic',
      'Syriac',
      'Thaana',
      'Devanagari',
      'Bengali',
      'Gurmukhi',
      'Gujarati',
      'Oriya',
      'Tamil',
      'Telugu',
      'Kannada',
      'Malayalam',
      'Sinhala',
      'Thai',
      'Lao',
      'Tibetan',
      'Myanmar',
      'Khmer',
      'Mongolian',
      'Ethiopic',
      'Cherokee',
      'Canadian_Aboriginal',
    ].map((script) => [script, [script]]),
  ),
};
const SCRIPTS = Object.entries(WRITING_SYSTEMS).map(([script, systems]) => ({ pattern: new RegExp(`\\p{scx=${script}}`, 'u'), systems }));

const INVISIBLE = /[\p{C}\p{Default_Ignorable_Code_Point}]/u;
const ASCII_LETTER = /[a-z]/i;
const INHERITED = /\p{sc=Inherited}/u; // combining marks that take the script of their letter
const LETTER_OR_DIGIT = /[\p{L}\p{M}\p{N}]/u;

export const EMAIL_LOOKALIKE_MESSAGES = {
  invisible: 'email must not contain invisible or control characters',
  symbol: 'email must not contain non-ASCII punctuation, symbols or spaces',
  mixedScripts: 'email must not mix scripts (such as Latin and Cyrillic) in the part before the @ or in one label of the domain',
};

/** The reason `email` (already normalised) is refused, or undefined when it is acceptable. */
export function emailLookalikeProblem(email: string): string | undefined {
  if (INVISIBLE.test(email)) return EMAIL_LOOKALIKE_MESSAGES.invisible;
  const at = email.lastIndexOf('@');
  const parts = at < 0 ? [email] : [email.slice(0, at), ...email.slice(at + 1).split('.')];
  for (const part of parts) {
    const systems = writingSystemsOf(part);
    if (systems === 'symbol') return EMAIL_LOOKALIKE_MESSAGES.symbol;
    if (systems?.size === 0) return EMAIL_LOOKALIKE_MESSAGES.mixedScripts;
  }
  return undefined;
}

/**
 * The writing systems that all letters and digits of `part` share (an empty set: mixed scripts),
 * undefined when it has none, "symbol" when it holds a non-ASCII character that is no letter or digit.
 */
function writingSystemsOf(part: string): Set<string> | undefined | 'symbol' {
  let shared: Set<string> | undefined;
  for (const char of part) {
    const systems = writingSystemsOfChar(char);
    if (systems === 'symbol') return systems;
    if (systems === 'any') continue;
    const before = shared;
    shared = new Set(before ? systems.filter((s) => before.has(s)) : systems);
  }
  return shared;
}

function writingSystemsOfChar(char: string): string[] | 'any' | 'symbol' {
  if (char <= '\u007f') return ASCII_LETTER.test(char) ? ['Latin'] : 'any';
  const systems = SCRIPTS.filter((s) => s.pattern.test(char)).flatMap((s) => s.systems);
  if (systems.length > 0) return systems;
  if (INHERITED.test(char)) return 'any';
  return LETTER_OR_DIGIT.test(char) ? ['other'] : 'symbol';
}
