import { EMAIL_LOOKALIKE_MESSAGES as M, emailLookalikeProblem } from './email-lookalikes.js';
import { normaliseEmail } from './normalise-email.js';

const problemOf = (email: string) => emailLookalikeProblem(normaliseEmail(email));

describe('emailLookalikeProblem', () => {
  it.each([
    'ada@example.com',
    'ada.lovelace+shop_1-x@mail.example.co.uk',
    'ｄéｖé@example.fr', // fullwidth becomes Latin; é is Latin
    'иван@пример.рф', // one non-Latin script throughout
    'ivan@пример.рф', // Latin local part, Cyrillic domain label: one script per part
    'αβγ@παράδειγμα.gr',
    '山田たろう@例え.jp', // Han + Hiragana: one writing system (Japanese)
    '홍길동@例え.kr',
    '١٢٣@example.com', // Arabic-Indic digits only
  ])('accepts %j', (email) => {
    expect(problemOf(email)).toBeUndefined();
  });

  it.each([
    ['ada\u200b@example.com', M.invisible], // zero-width space (Cf)
    ['ada\u200d@example.com', M.invisible], // zero-width joiner
    ['ada\u00ad@example.com', M.invisible], // soft hyphen
    ['ada\u0007@example.com', M.invisible], // control
    ['ada\ufe0f@example.com', M.invisible], // variation selector (default-ignorable mark)
    ['ada\u3164@example.com', M.invisible], // Hangul filler (a default-ignorable letter)
    ['ada\ue000@example.com', M.invisible], // private use
    ['ada\u2010lovelace@example.com', M.symbol], // HYPHEN, not ASCII -
    ['ada\u2605@example.com', M.symbol],
    ['\u0430da@example.com', M.mixedScripts], // Cyrillic а + Latin
    ['ada@ex\u0430mple.com', M.mixedScripts], // in a domain label
    ['\u03bfk@example.com', M.mixedScripts], // Greek omicron + Latin
    ['\u0441\u043e\u03bf@example.com', M.mixedScripts], // Cyrillic + Greek
    ['ivan.\u0438\u0432\u0430\u043d@example.com', M.mixedScripts], // the local part counts as one
    ['ada\u0967@example.com', M.mixedScripts], // Devanagari digit one
    ['ada\u16a0@example.com', M.mixedScripts], // Runic, a script not in the list: counted as "other"
  ])('refuses %j', (email, message) => {
    expect(problemOf(email)).toBe(message);
  });
});
