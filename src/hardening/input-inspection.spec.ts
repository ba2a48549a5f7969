import { inspectInput, MAX_JSON_DEPTH } from './input-inspection.js';

const nested = (levels: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
  return value;
};

describe('inspectInput', () => {
  it('accepts ordinary JSON, tabs and line breaks included', () => {
    expect(inspectInput({ name: 'Tea\tpot', note: 'line 1\r\nline 2', items: [{ productId: 1 }] })).toEqual({ kind: 'ok' });
    expect(inspectInput(null)).toEqual({ kind: 'ok' });
    expect(inspectInput('plain')).toEqual({ kind: 'ok' });
  });

  it('names every field that holds a forbidden control character, nested ones by path', () => {
    const result = inspectInput({ name: 'a\u0000b', items: [{ note: 'x' }, { note: 'bell\u0007' }], ok: 'fine', esc: '\u001b[31m' });
    expect(result).toEqual({
      kind: 'control-characters',
      errors: [
        { field: 'name', message: expect.stringContaining('name must not contain control characters') },
        { field: 'items.1.note', message: expect.stringContaining('items.1.note must not') },
        { field: 'esc', message: expect.any(String) },
      ],
    });
  });

  it('flags lone surrogates, which are no characters at all', () => {
    expect(inspectInput({ email: '\ud800', ok: '😀' })).toEqual({
      kind: 'control-characters',
      errors: [{ field: 'email', message: expect.stringContaining('lone surrogates') }],
    });
  });

  it('flags control characters in keys', () => {
    expect(inspectInput({ 'a\u0000': 1 })).toMatchObject({ kind: 'control-characters' });
  });

  it('allows nesting up to the limit and refuses one level more', () => {
    expect(inspectInput(nested(MAX_JSON_DEPTH))).toEqual({ kind: 'ok' });
    expect(inspectInput(nested(MAX_JSON_DEPTH + 1))).toEqual({ kind: 'too-deep' });
  });

  it('does not depend on the stack for absurd nesting', () => {
    expect(inspectInput(JSON.parse('['.repeat(200_000) + ']'.repeat(200_000)))).toEqual({ kind: 'too-deep' });
  });
});
