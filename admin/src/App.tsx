import { Admin, Resource } from 'react-admin';
import { authProvider } from './api/auth-provider';
import { dataProvider } from './api/data-provider';
import { Dashboard } from './dashboard/Dashboard';
import { categories } from './resources/categories';
import { orders } from './resources/orders';
import { products } from './resources/products';
import { users } from './resources/users';
import { LoginPage } from './ui/LoginPage';

/**
 * The staff console at /admin (hash routes: /admin#/products). Staff see the catalogue and the
 * orders; the users screen is for admins only (authProvider.canAccess hides it from staff).
 */
export function App() {
  return (
    <Admin title="Shop console" dataProvider={dataProvider} authProvider={authProvider} loginPage={LoginPage} dashboard={Dashboard} disableTelemetry>
      <Resource name="products" {...products} />
      <Resource name="categories" {...categories} />
      <Resource name="orders" {...orders} />
      <Resource name="users" {...users} />
    </Admin>
  );
}
