import { formFieldPath, problemErrorBody, problemMessage } from './problem';

describe('problem documents for react-admin', () => {
  it('turns the errors array into field errors on the form, nested paths included', () => {
    const body = problemErrorBody({
      status: 400,
      detail: '3 fields are invalid',
      errors: [
        { field: 'price', message: 'price must be a positive number' },
        { field: 'items[0].quantity', message: 'quantity must be at least 1' },
        { field: 'price', message: 'price must have at most two decimals' },
      ],
    });
    expect(body.errors).toEqual({
      price: 'price must be a positive number; price must have at most two decimals',
      'items.0.quantity': 'quantity must be at least 1',
    });
    expect(body.problem.detail).toBe('3 fields are invalid');
  });

  it('has no field errors for problems without an errors array (shown as a notification)', () => {
    expect(problemErrorBody({ status: 409, detail: 'Category 3 still has products' }).errors).toBeUndefined();
  });

  it('says the detail, else the title, else the status', () => {
    expect(problemMessage({ title: 'Conflict', detail: 'The last admin cannot be demoted' }, 409)).toBe('The last admin cannot be demoted');
    expect(problemMessage({ title: 'Not found' }, 404)).toBe('Not found');
    expect(problemMessage(undefined, 502, 'Bad Gateway')).toBe('The service answered 502 Bad Gateway.');
    expect(problemMessage(undefined, 0)).toMatch(/cannot be reached/);
  });

  it('maps bracketed indexes to react-hook-form paths', () => {
    expect(formFieldPath('items[12].productId')).toBe('items.12.productId');
  });
});
