import CategoryIcon from '@mui/icons-material/Category';
import {
  Create,
  Datagrid,
  DateField,
  DeleteWithConfirmButton,
  Edit,
  List,
  NumberField,
  SaveButton,
  SimpleForm,
  TextField,
  TextInput,
  Toolbar,
  required,
  useNotify,
  useRecordContext,
  type ResourceProps,
} from 'react-admin';
import { ListPagination } from '../ui/ListPagination';
import { formKey, StaleNotice } from '../ui/StaleNotice';
import { useSaveErrors } from '../ui/useSaveErrors';

function CategoryList() {
  return (
    <List sort={{ field: 'name', order: 'ASC' }} perPage={20} pagination={<ListPagination />} exporter={false}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <NumberField source="id" />
        <TextField source="name" />
        <TextField source="slug" />
        <TextField source="description" sortable={false} />
        <DateField source="createdAt" label="Created" />
      </Datagrid>
    </List>
  );
}

function CategoryFields() {
  return (
    <>
      <TextInput source="name" validate={required()} fullWidth />
      <TextInput source="slug" validate={required()} helperText='Lowercase words joined by hyphens, e.g. "brewing-gear"' />
      <TextInput source="description" multiline fullWidth />
    </>
  );
}

/** A category still used by products answers 409: its detail is shown as it is, and nothing is deleted. */
function CategoryToolbar() {
  const notify = useNotify();
  return (
    <Toolbar sx={{ display: 'flex', justifyContent: 'space-between' }}>
      <SaveButton />
      <DeleteWithConfirmButton
        mutationMode="pessimistic"
        confirmTitle="Delete this category?"
        confirmContent="Only a category without products can be deleted."
        mutationOptions={{
          onError: (error: unknown) =>
            notify(`Not deleted: ${error instanceof Error ? error.message : String(error)}`, { type: 'error', autoHideDuration: 10_000 }),
        }}
      />
    </Toolbar>
  );
}

function CategoryCreate() {
  const { onError } = useSaveErrors();
  return (
    <Create redirect="list" mutationOptions={{ onError }}>
      <SimpleForm defaultValues={{ description: '' }}>
        <CategoryFields />
      </SimpleForm>
    </Create>
  );
}

function CategoryEdit() {
  const { onError, stale, clearStale } = useSaveErrors();
  return (
    <Edit mutationMode="pessimistic" mutationOptions={{ onError }}>
      {stale && <StaleNotice onReloaded={clearStale} />}
      <CategoryForm />
    </Edit>
  );
}

function CategoryForm() {
  const record = useRecordContext();
  return (
    <SimpleForm key={formKey(record)} toolbar={<CategoryToolbar />}>
      <CategoryFields />
    </SimpleForm>
  );
}

export const categories: Omit<ResourceProps, 'name'> = {
  list: CategoryList,
  create: CategoryCreate,
  edit: CategoryEdit,
  icon: CategoryIcon,
  options: { label: 'Categories' },
  recordRepresentation: 'name',
};
