import { ORDER_TRANSITIONS as SERVER_TRANSITIONS } from '../../../src/orders/order-workflow';
import { ORDER_TRANSITIONS } from './order-workflow';

// The console keeps its own copy (its bundle must not import server code): this keeps the two equal.
describe("the console's order workflow", () => {
  it("is the API's workflow", () => {
    expect(ORDER_TRANSITIONS).toEqual(SERVER_TRANSITIONS);
  });
});
