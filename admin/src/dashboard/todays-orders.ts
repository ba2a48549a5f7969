import type { DataProvider, RaRecord } from 'react-admin';
import { sumMoney } from '../api/order-workflow';

export interface TodaysOrders {
  count: number;
  /** Sum of the totals of today's orders that are not cancelled. */
  revenue: string;
}

const PAGE = 100;
/** Past this many pages (10,000 orders in a day) the figure says "at least". */
const MAX_PAGES = 100;

/**
 * Today's orders (since local midnight) from the list newest first: the API has no date filter,
 * so pages are read until an order older than midnight shows up.
 */
export async function loadTodaysOrders(dataProvider: DataProvider, now = new Date()): Promise<TodaysOrders & { complete: boolean }> {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  const today: RaRecord[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const { data, pageInfo } = await dataProvider.getList('orders', {
      pagination: { page, perPage: PAGE },
      sort: { field: 'createdAt', order: 'DESC' },
      filter: {},
    });
    const fresh = data.filter((order) => Date.parse(order.createdAt) >= midnight);
    today.push(...fresh);
    if (fresh.length < data.length || !pageInfo?.hasNextPage) {
      return { ...summarise(today), complete: true };
    }
  }
  return { ...summarise(today), complete: false };
}

function summarise(orders: RaRecord[]): TodaysOrders {
  return { count: orders.length, revenue: sumMoney(orders.filter((o) => o.status !== 'cancelled').map((o) => String(o.total))) };
}
