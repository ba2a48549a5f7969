import ReceiptIcon from '@mui/icons-material/Receipt';
import { Box, Button, Chip, Stack, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { useState } from 'react';
import {
  Confirm,
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberField,
  NumberInput,
  SelectInput,
  Show,
  SimpleShowLayout,
  TextField,
  useNotify,
  useRecordContext,
  useUpdate,
  type RaRecord,
  type ResourceProps,
} from 'react-admin';
import { ListPagination } from '../ui/ListPagination';
import { allowedMoves, STATUS_CHOICES, type OrderStatus } from '../api/order-workflow';

const orderFilters = [
  <SelectInput key="status" source="status" choices={STATUS_CHOICES} alwaysOn />,
  <NumberInput key="userId" source="userId" label="Customer (user id)" alwaysOn />,
];

const STATUS_COLOURS: Record<string, 'default' | 'info' | 'primary' | 'success' | 'error'> = {
  pending: 'default',
  paid: 'info',
  shipped: 'primary',
  delivered: 'success',
  cancelled: 'error',
};

export function StatusChip({ status }: { status: string }) {
  return <Chip size="small" label={status} color={STATUS_COLOURS[status] ?? 'default'} data-testid="order-status" />;
}

function OrderList() {
  return (
    <List filters={orderFilters} sort={{ field: 'createdAt', order: 'DESC' }} perPage={20} pagination={<ListPagination />} exporter={false}>
      <Datagrid rowClick="show" bulkActionButtons={false}>
        <NumberField source="id" />
        <FunctionField source="status" sortable={false} render={(order: RaRecord) => <StatusChip status={order.status} />} />
        <NumberField source="userId" label="Customer" sortable={false} />
        <FunctionField label="Lines" render={(order: RaRecord) => order.items?.length ?? 0} />
        <TextField source="total" textAlign="right" />
        <DateField source="createdAt" label="Placed" showTime />
      </Datagrid>
    </List>
  );
}

const MOVE_LABELS: Record<OrderStatus, string> = {
  pending: 'Back to pending',
  paid: 'Mark paid',
  shipped: 'Mark shipped',
  delivered: 'Mark delivered',
  cancelled: 'Cancel order',
};

/** One button per move the workflow allows from the current status; cancelling says what happens to the stock. */
function TransitionButtons() {
  const order = useRecordContext();
  const notify = useNotify();
  const [update, { isPending }] = useUpdate();
  const [confirming, setConfirming] = useState(false);
  if (!order) return null;
  const moves = allowedMoves(order.status);

  const move = (status: OrderStatus) =>
    update(
      'orders',
      { id: order.id, data: { status }, previousData: order },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => notify(`Order ${order.id} is now ${status}`, { type: 'success' }),
        onError: (error: unknown) => notify(error instanceof Error ? error.message : String(error), { type: 'error', autoHideDuration: 10_000 }),
      },
    );

  if (moves.length === 0) return <Typography color="text.secondary">No further status changes: this order is {order.status}.</Typography>;
  const lines = (order.items ?? []) as Array<{ quantity: number; name: string; sku: string }>;
  return (
    <Stack direction="row" spacing={1}>
      {moves.map((status) => (
        <Button
          key={status}
          variant={status === 'cancelled' ? 'outlined' : 'contained'}
          color={status === 'cancelled' ? 'error' : 'primary'}
          disabled={isPending}
          onClick={() => (status === 'cancelled' ? setConfirming(true) : move(status))}
        >
          {MOVE_LABELS[status]}
        </Button>
      ))}
      <Confirm
        isOpen={confirming}
        title={`Cancel order ${order.id}?`}
        content={
          <Box>
            <Typography>Cancelling puts the stock back:</Typography>
            <ul>
              {lines.map((line) => (
                <li key={line.sku}>
                  {line.quantity} × {line.name} ({line.sku}) return to stock
                </li>
              ))}
            </ul>
          </Box>
        }
        confirm="Cancel order and restock"
        cancel="Keep order"
        onConfirm={() => {
          setConfirming(false);
          void move('cancelled');
        }}
        onClose={() => setConfirming(false)}
      />
    </Stack>
  );
}

interface OrderLine {
  productId: number;
  sku: string;
  name: string;
  unitPrice: string;
  quantity: number;
  lineTotal: string;
}

interface StatusChange {
  fromStatus: string | null;
  toStatus: string;
  changedBy: number | null;
  changedAt: string;
}

function OrderLines({ order }: { order: RaRecord }) {
  const lines = (order.items ?? []) as OrderLine[];
  return (
    <Table size="small" data-testid="order-lines">
      <TableHead>
        <TableRow>
          <TableCell>SKU</TableCell>
          <TableCell>Product</TableCell>
          <TableCell align="right">Unit price</TableCell>
          <TableCell align="right">Quantity</TableCell>
          <TableCell align="right">Line total</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {lines.map((line) => (
          <TableRow key={line.productId}>
            <TableCell>{line.sku}</TableCell>
            <TableCell>{line.name}</TableCell>
            <TableCell align="right">{line.unitPrice}</TableCell>
            <TableCell align="right">{line.quantity}</TableCell>
            <TableCell align="right">{line.lineTotal}</TableCell>
          </TableRow>
        ))}
        <TableRow>
          <TableCell colSpan={4} align="right">
            <strong>Total</strong>
          </TableCell>
          <TableCell align="right" data-testid="order-total">
            <strong>{order.total}</strong>
          </TableCell>
        </TableRow>
      </TableBody>
    </Table>
  );
}

/** Oldest first, creation included (staff get it on GET /v1/orders/{id} and PATCH). */
function OrderHistory({ order }: { order: RaRecord }) {
  const changes = (order.history ?? []) as StatusChange[];
  return (
    <Table size="small" data-testid="order-history">
      <TableHead>
        <TableRow>
          <TableCell>Change</TableCell>
          <TableCell>By (user id)</TableCell>
          <TableCell>When</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {changes.map((change, index) => (
          <TableRow key={index}>
            <TableCell>{change.fromStatus ? `${change.fromStatus} → ${change.toStatus}` : `placed (${change.toStatus})`}</TableCell>
            <TableCell>{change.changedBy ?? '—'}</TableCell>
            <TableCell>{new Date(change.changedAt).toLocaleString()}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function OrderShow() {
  return (
    <Show>
      <SimpleShowLayout>
        <NumberField source="id" />
        <FunctionField label="Status" render={(order: RaRecord) => <StatusChip status={order.status} />} />
        <TransitionButtons />
        <NumberField source="userId" label="Customer (user id)" />
        <DateField source="createdAt" label="Placed" showTime />
        <TextField source="note" emptyText="(no note)" />
        <FunctionField label="Lines" render={(order: RaRecord) => <OrderLines order={order} />} />
        <FunctionField label="Status history" render={(order: RaRecord) => <OrderHistory order={order} />} />
      </SimpleShowLayout>
    </Show>
  );
}

export const orders: Omit<ResourceProps, 'name'> = {
  list: OrderList,
  show: OrderShow,
  icon: ReceiptIcon,
  options: { label: 'Orders' },
};
