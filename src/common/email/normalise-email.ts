/**
 * The one canonical form of an e-mail address, applied wherever an address enters (register,
 * login, create-admin, the seed, the rate-limit key) and the form that is stored:
 *
 * 1. NFKC: compatibility forms become the plain letters they stand for (fullwidth `ａｄａ`,
 *    ligatures, superscripts), and decomposed (NFD) accents are composed again.
 * 2. Lower case with the locale-independent `toLowerCase()`. A Turkish `I` therefore becomes `i`,
 *    not the dotless `ı`, as ASCII addresses need; the Turkish capital `İ` lower-cases to `i` plus
 *    U+0307 COMBINING DOT ABOVE, which looks exactly like `i`, so that pair is folded to `i`
 *    (PostgreSQL's lower() under a UTF-8 locale also gives `i`).
 * 3. NFKC again (lower-casing can leave an uncomposed sequence) and trim.
 *
 * The result is idempotent (checked for every code point in the unit test). Characters that are
 * invisible or mix scripts are not removed here but rejected by validation (email-lookalikes.ts):
 * silently dropping them would let two different inputs name one account unnoticed.
 */
export function normaliseEmail(email: string): string {
  return email
    .normalize('NFKC')
    .toLowerCase()
    .replace(/i\u0307/g, 'i')
    .normalize('NFKC')
    .trim();
}
