import { Box, Card, CardContent, CardHeader, Link as MuiLink, List, ListItem, ListItemText, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import { Title, useDataProvider, useGetList, type RaRecord } from 'react-admin';
import { Link } from 'react-router-dom';
import { ORDER_STATUSES } from '../api/order-workflow';
import { listLink } from './list-link';
import { loadTodaysOrders, type TodaysOrders } from './todays-orders';

/** Products with at most this much stock count as low. */
export const LOW_STOCK = 5;

function StatusCount({ status }: { status: string }) {
  const { total, isPending, error } = useGetList('orders', { pagination: { page: 1, perPage: 1 }, filter: { status } });
  return (
    <ListItem disablePadding>
      <MuiLink component={Link} to={listLink('orders', { status })} data-testid={`status-count-${status}`}>
        <ListItemText primary={`${status}: ${error ? '—' : isPending ? '…' : total}`} />
      </MuiLink>
    </ListItem>
  );
}

function TodayCard() {
  const dataProvider = useDataProvider();
  const [today, setToday] = useState<(TodaysOrders & { complete: boolean }) | { error: string }>();
  useEffect(() => {
    let live = true;
    loadTodaysOrders(dataProvider).then(
      (result) => live && setToday(result),
      (error: unknown) => live && setToday({ error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [dataProvider]);
  return (
    <Card sx={{ flex: 1, minWidth: 260 }}>
      <CardHeader title="Today" />
      <CardContent>
        {!today && <Typography>…</Typography>}
        {today && 'error' in today && <Typography color="error">{today.error}</Typography>}
        {today && 'count' in today && (
          <MuiLink component={Link} to={listLink('orders', {}, { field: 'createdAt', order: 'DESC' })} data-testid="today-orders">
            <Typography variant="h4">
              {today.complete ? '' : '≥ '}
              {today.count} orders
            </Typography>
            <Typography>Revenue {today.revenue} (cancelled orders left out)</Typography>
          </MuiLink>
        )}
      </CardContent>
    </Card>
  );
}

function LowStockCard() {
  const { data, total, isPending, error } = useGetList('products', {
    pagination: { page: 1, perPage: 10 },
    sort: { field: 'stock', order: 'ASC' },
    filter: {},
  });
  const low = (data ?? []).filter((p: RaRecord) => p.stock <= LOW_STOCK);
  return (
    <Card sx={{ flex: 1, minWidth: 260 }}>
      <CardHeader title={`Low on stock (≤ ${LOW_STOCK})`} />
      <CardContent>
        {error ? <Typography color="error">{error.message}</Typography> : null}
        {isPending ? <Typography>…</Typography> : null}
        {!isPending && !error && low.length === 0 && <Typography>No product is low on stock{total ? '' : ' (no products yet)'}.</Typography>}
        <List dense>
          {low.map((product: RaRecord) => (
            <ListItem key={product.id} disablePadding>
              <MuiLink component={Link} to={`/products/${product.id}`}>
                <ListItemText primary={`${product.name} (${product.sku}): ${product.stock}`} />
              </MuiLink>
            </ListItem>
          ))}
        </List>
        <MuiLink component={Link} to={listLink('products', {}, { field: 'stock', order: 'ASC' })} data-testid="low-stock-link">
          All products by stock
        </MuiLink>
        {' · '}
        <MuiLink component={Link} to={listLink('products', { inStock: 'false' })}>
          Out of stock
        </MuiLink>
      </CardContent>
    </Card>
  );
}

/** Orders per status, today's orders and revenue, products low on stock: each links to the filtered list. */
export function Dashboard() {
  return (
    <Box sx={{ display: 'flex', flexWrap: 'wrap', gap: 2, mt: 2 }}>
      <Title title="Dashboard" />
      <Card sx={{ flex: 1, minWidth: 220 }}>
        <CardHeader title="Orders by status" />
        <CardContent>
          <List dense>
            {ORDER_STATUSES.map((status) => (
              <StatusCount key={status} status={status} />
            ))}
          </List>
        </CardContent>
      </Card>
      <TodayCard />
      <LowStockCard />
    </Box>
  );
}
