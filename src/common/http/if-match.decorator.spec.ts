import { ifMatchPrecondition } from './if-match.decorator.js';

const request = (id: string, ifMatch?: string) => ({ params: { id }, headers: ifMatch === undefined ? {} : { 'if-match': ifMatch } });

describe('ifMatchPrecondition', () => {
  it('is unconditional without If-Match or with *', () => {
    expect(ifMatchPrecondition(request('12'))).toBeUndefined();
    expect(ifMatchPrecondition(request('12', '*'))).toBe('any');
  });

  it('accepts the versions of the addressed row the header lists', () => {
    expect(ifMatchPrecondition(request('12', '"12-3", "12-4", "7-5"'))).toEqual([3, 4]);
    expect(ifMatchPrecondition({ params: { productId: '7' }, headers: { 'if-match': '"7-5"' } }, 'productId')).toEqual([5]);
  });

  it('accepts no version when the path id is not canonical', () => {
    for (const id of ['012', '0x0c', ' 12', '99999999999']) expect(ifMatchPrecondition(request(id, '*'))).toEqual([]);
  });
});
