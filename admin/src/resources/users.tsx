import PeopleIcon from '@mui/icons-material/People';
import {
  Datagrid,
  DateField,
  Edit,
  List,
  NumberField,
  SaveButton,
  SelectField,
  SelectInput,
  SimpleForm,
  TextField,
  Toolbar,
  type ResourceProps,
} from 'react-admin';
import { ListPagination } from '../ui/ListPagination';
import { useSaveErrors } from '../ui/useSaveErrors';

export const ROLE_CHOICES = [
  { id: 'customer', name: 'Customer' },
  { id: 'staff', name: 'Staff' },
  { id: 'admin', name: 'Admin' },
];

const userFilters = [<SelectInput key="role" source="role" choices={ROLE_CHOICES} alwaysOn />];

function UserList() {
  return (
    <List filters={userFilters} sort={{ field: 'id', order: 'ASC' }} perPage={20} pagination={<ListPagination />} exporter={false}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <NumberField source="id" />
        <TextField source="email" />
        <TextField source="name" />
        <SelectField source="role" choices={ROLE_CHOICES} />
        <DateField source="createdAt" label="Created" />
      </Datagrid>
    </List>
  );
}

/** Only the role can change; demoting the last admin is refused with the API's own sentence. */
function UserEdit() {
  const { onError } = useSaveErrors();
  return (
    <Edit mutationMode="pessimistic" mutationOptions={{ onError }}>
      <SimpleForm
        toolbar={
          <Toolbar>
            <SaveButton />
          </Toolbar>
        }
      >
        <TextField source="email" />
        <TextField source="name" />
        <SelectInput source="role" choices={ROLE_CHOICES} />
      </SimpleForm>
    </Edit>
  );
}

export const users: Omit<ResourceProps, 'name'> = {
  list: UserList,
  edit: UserEdit,
  icon: PeopleIcon,
  options: { label: 'Users' },
  recordRepresentation: 'email',
};
