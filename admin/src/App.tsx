import { Admin, Resource } from 'react-admin';
import { BrowserRouter } from 'react-router-dom';
import { authProvider } from './api/auth-provider';
import { dataProvider } from './api/data-provider';
import { isAdmin } from './api/roles';
import { Dashboard } from './dashboard/Dashboard';
import { categories } from './resources/categories';
import { orders } from './resources/orders';
import { products } from './resources/products';
import { users } from './resources/users';
import { LoginPage } from './ui/LoginPage';

/** The staff console at /admin: staff see the catalogue and the orders, admins also the users. */
export function App() {
  return (
    <BrowserRouter basename="/admin">
      <Admin
        title="Shop console"
        dataProvider={dataProvider}
        authProvider={authProvider}
        loginPage={LoginPage}
        dashboard={Dashboard}
        requireAuth
        disableTelemetry
      >
        {(role) => [
          <Resource key="products" name="products" {...products} />,
          <Resource key="categories" name="categories" {...categories} />,
          <Resource key="orders" name="orders" {...orders} />,
          ...(isAdmin(role) ? [<Resource key="users" name="users" {...users} />] : []),
        ]}
      </Admin>
    </BrowserRouter>
  );
}
