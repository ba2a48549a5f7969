import { utcTimestampToIso } from './utc-timestamps.js';

describe('utcTimestampToIso', () => {
  it('turns timestamp(3) text into the ISO form Date#toISOString gives', () => {
    for (const text of ['2026-11-25 10:00:00.123', '2026-11-25 10:00:00.12', '2026-11-25 10:00:00.1', '2026-11-25 10:00:00', '1999-01-02 03:04:05.006']) {
      expect(utcTimestampToIso(text)).toBe(new Date(`${text.replace(' ', 'T')}Z`).toISOString());
    }
  });
});
