import { Pagination } from 'react-admin';

/** The API pages up to 100 rows. */
export const ListPagination = () => <Pagination rowsPerPageOptions={[10, 20, 50, 100]} />;
