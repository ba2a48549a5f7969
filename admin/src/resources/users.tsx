import PeopleIcon from '@mui/icons-material/People';
import { MenuItem, Select } from '@mui/material';
import type { HTMLAttributes } from 'react';
import {
  Datagrid,
  DateField,
  FunctionField,
  List,
  NumberField,
  SelectInput,
  TextField,
  useNotify,
  useRecordContext,
  useUpdate,
  type ResourceProps,
} from 'react-admin';
import { ListPagination } from '../ui/ListPagination';

export const ROLE_CHOICES = [
  { id: 'customer', name: 'Customer' },
  { id: 'staff', name: 'Staff' },
  { id: 'admin', name: 'Admin' },
];

const userFilters = [<SelectInput key="role" source="role" choices={ROLE_CHOICES} alwaysOn />];

/**
 * The role, changed in place (the API has PATCH /v1/users/{id} but no GET of one user, so there
 * is no edit page). A refusal, such as demoting the last admin, is shown with the API's sentence
 * and the select keeps showing the role the user really has.
 */
function RoleSelect() {
  const user = useRecordContext();
  const notify = useNotify();
  const [update, { isPending }] = useUpdate();
  if (!user) return null;
  const change = (role: string) =>
    update(
      'users',
      { id: user.id, data: { role }, previousData: user },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => notify(`${user.email} is now ${role}`, { type: 'success' }),
        onError: (error: unknown) => notify(error instanceof Error ? error.message : String(error), { type: 'error', autoHideDuration: 10_000 }),
      },
    );
  return (
    <Select
      size="small"
      value={user.role}
      disabled={isPending}
      onChange={(event) => change(String(event.target.value))}
      onClick={(event) => event.stopPropagation()}
      SelectDisplayProps={{ 'aria-label': `Role of ${user.email}` } as HTMLAttributes<HTMLDivElement>}
    >
      {ROLE_CHOICES.map((choice) => (
        <MenuItem key={choice.id} value={choice.id}>
          {choice.name}
        </MenuItem>
      ))}
    </Select>
  );
}

function UserList() {
  return (
    <List filters={userFilters} sort={{ field: 'id', order: 'ASC' }} perPage={20} pagination={<ListPagination />} exporter={false}>
      <Datagrid rowClick={false} bulkActionButtons={false}>
        <NumberField source="id" />
        <TextField source="email" />
        <TextField source="name" />
        <FunctionField source="role" render={() => <RoleSelect />} />
        <DateField source="createdAt" label="Created" />
      </Datagrid>
    </List>
  );
}

export const users: Omit<ResourceProps, 'name'> = {
  list: UserList,
  icon: PeopleIcon,
  options: { label: 'Users' },
  recordRepresentation: 'email',
};
