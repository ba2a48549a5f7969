import { normaliseEmail } from './normalise-email.js';

describe('normaliseEmail', () => {
  it.each([
    ['  Ada@Example.COM ', 'ada@example.com'],
    ['ａｄａ@ｅｘａｍｐｌｅ．ｃｏｍ', 'ada@example.com'], // fullwidth letters, at sign and full stop
    ['ＡＤＡ@example.com', 'ada@example.com'], // fullwidth capitals
    ['ada\u0301@example.com', 'ad\u00e1@example.com'], // NFD accent composed
    ['ADA\u0301@example.com', 'ad\u00e1@example.com'],
    ['\u0130nfo@example.com', 'info@example.com'], // Turkish capital dotted I: i, not i + U+0307
    ['i\u0307nfo@example.com', 'info@example.com'],
    ['INFO@EXAMPLE.COM', 'info@example.com'], // ASCII I stays i whatever the locale
    ['\u2121@example.com', 'tel@example.com'], // ℡: compatibility mapping gives capitals, lower-cased after
    ['ｉｖａｎ@ПРИМЕР.РФ', 'ivan@пример.рф'],
  ])('%j becomes %j', (input, expected) => {
    expect(normaliseEmail(input)).toBe(expected);
  });

  it('keeps what it cannot map to a plain letter, for validation to refuse', () => {
    expect(normaliseEmail('ada\u200b@example.com')).toBe('ada\u200b@example.com');
    expect(normaliseEmail('\u0430da@example.com')).toBe('\u0430da@example.com'); // Cyrillic а
  });

  it('is idempotent for every code point', () => {
    const differing: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const once = normaliseEmail(`a${String.fromCodePoint(cp)}b`);
      if (normaliseEmail(once) !== once) differing.push(cp.toString(16));
    }
    expect(differing).toEqual([]);
  });
});
