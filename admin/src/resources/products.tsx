import InventoryIcon from '@mui/icons-material/Inventory2';
import { Alert, Chip } from '@mui/material';
import {
  BooleanField,
  BooleanInput,
  Create,
  Datagrid,
  DateField,
  DeleteWithConfirmButton,
  Edit,
  List,
  NumberField,
  NumberInput,
  ReferenceField,
  ReferenceInput,
  SaveButton,
  SearchInput,
  SelectInput,
  SimpleForm,
  TextField,
  TextInput,
  Toolbar,
  required,
  useRecordContext,
  type ResourceProps,
} from 'react-admin';
import { ListPagination } from '../ui/ListPagination';
import { twoPlaces } from '../ui/money';
import { formKey } from '../ui/StaleNotice';
import { StaleNotice } from '../ui/StaleNotice';
import { useSaveErrors } from '../ui/useSaveErrors';

const categoryChoices = { perPage: 100, sort: { field: 'name', order: 'ASC' as const } };

const productFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Search name, SKU, description" />,
  <ReferenceInput key="categoryId" source="categoryId" reference="categories" {...categoryChoices}>
    <SelectInput label="Category" optionText="name" />
  </ReferenceInput>,
  <SelectInput
    key="includeArchived"
    source="includeArchived"
    label="Archived"
    choices={[
      { id: 'false', name: 'Hidden' },
      { id: 'true', name: 'Shown' },
    ]}
    alwaysOn
  />,
  <SelectInput
    key="active"
    source="active"
    label="Active"
    choices={[
      { id: 'true', name: 'Active' },
      { id: 'false', name: 'Inactive' },
    ]}
  />,
  <SelectInput
    key="inStock"
    source="inStock"
    label="Stock"
    choices={[
      { id: 'true', name: 'In stock' },
      { id: 'false', name: 'Out of stock' },
    ]}
  />,
];

function ArchivedChip() {
  const record = useRecordContext();
  return record?.archivedAt ? <Chip size="small" color="warning" label="archived" /> : null;
}

function ProductList() {
  return (
    <List filters={productFilters} sort={{ field: 'id', order: 'ASC' }} perPage={20} pagination={<ListPagination />} exporter={false}>
      <Datagrid rowClick="edit" bulkActionButtons={false}>
        <NumberField source="id" />
        <TextField source="sku" label="SKU" />
        <TextField source="name" />
        <ReferenceField source="categoryId" reference="categories" label="Category" sortable={false} link={false}>
          <TextField source="name" />
        </ReferenceField>
        <TextField source="price" textAlign="right" />
        <NumberField source="stock" />
        <BooleanField source="active" sortable={false} />
        <DateField source="archivedAt" label="Archived at" showTime sortable={false} emptyText="" />
        <ArchivedChip />
      </Datagrid>
    </List>
  );
}

/** Money is a decimal string: entered as text, sent with two places. */
const normaliseProduct = (data: Record<string, unknown>) => ({ ...data, price: twoPlaces(data.price) });

function ProductFields() {
  return (
    <>
      <TextInput source="sku" label="SKU" validate={required()} />
      <TextInput source="name" validate={required()} fullWidth />
      <TextInput source="description" multiline fullWidth />
      <TextInput source="price" label="Price" helperText="Decimal, two places (e.g. 19.99)" validate={required()} />
      <NumberInput source="stock" min={0} step={1} validate={required()} />
      <ReferenceInput source="categoryId" reference="categories" {...categoryChoices}>
        <SelectInput label="Category" optionText="name" validate={required()} />
      </ReferenceInput>
      <BooleanInput source="active" helperText="Inactive products are hidden from customers and cannot be ordered" />
    </>
  );
}

function ProductCreate() {
  const { onError } = useSaveErrors();
  return (
    <Create transform={normaliseProduct} redirect="edit" mutationOptions={{ onError }}>
      <SimpleForm defaultValues={{ active: true, stock: 0, description: '' }}>
        <ProductFields />
      </SimpleForm>
    </Create>
  );
}

function ProductEditToolbar() {
  const record = useRecordContext();
  return (
    <Toolbar sx={{ display: 'flex', justifyContent: 'space-between' }}>
      <SaveButton />
      {!record?.archivedAt && (
        <DeleteWithConfirmButton
          label="Archive"
          confirmTitle="Archive this product?"
          confirmContent="It leaves the public catalogue and cannot be ordered any more; orders that name it keep it. Staff still see it with its archive date."
          mutationMode="pessimistic"
        />
      )}
    </Toolbar>
  );
}

function ArchivedNotice() {
  const record = useRecordContext();
  if (!record?.archivedAt) return null;
  return <Alert severity="warning">Archived on {new Date(String(record.archivedAt)).toLocaleString()}: hidden from the public catalogue.</Alert>;
}

/** After a 412: the form is keyed by the record's ETag, so a reload starts from the current version. */
function ProductEdit() {
  const { onError, stale, clearStale } = useSaveErrors();
  return (
    <Edit mutationMode="pessimistic" transform={normaliseProduct} mutationOptions={{ onError }} redirect={false}>
      {stale && <StaleNotice onReloaded={clearStale} />}
      <KeyedForm />
    </Edit>
  );
}

function KeyedForm() {
  const record = useRecordContext();
  return (
    <SimpleForm key={formKey(record)} toolbar={<ProductEditToolbar />}>
      <ArchivedNotice />
      <ProductFields />
    </SimpleForm>
  );
}

export const products: Omit<ResourceProps, 'name'> = {
  list: ProductList,
  create: ProductCreate,
  edit: ProductEdit,
  icon: InventoryIcon,
  options: { label: 'Products' },
  recordRepresentation: 'name',
};
