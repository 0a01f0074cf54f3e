/** Routes: the login page until the session is known, then the shell with one page per section. */
import { lazy, Suspense, useEffect, type ComponentType } from 'react';
import { useI18n } from './i18n/i18n';
import { Login } from './pages/Login';
import { ResetPassword } from './pages/ResetPassword';
import { Shell } from './pages/Shell';
import { Link, matchPath, navigate, useLocation, useTitle } from './router';
import { useSession } from './session';
import { Loading } from './ui';

/**
 * A page module loaded when it is first shown: each section is its own chunk of the build, so signing
 * in loads only the shell (React.lazy caches the module; several pages of one module share it).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any props: the page keeps its own prop types (M[K])
function page<M extends Record<K, ComponentType<any>>, K extends keyof M & string>(load: () => Promise<M>, name: K): M[K] {
  return lazy(async () => ({ default: (await load())[name] })) as unknown as M[K];
}
const CatalogPages = page(() => import('./pages/Catalog'), 'CatalogPages');
const ClaimsPages = page(() => import('./pages/Claims'), 'ClaimsPages');
const CustomerDetail = page(() => import('./pages/Customers'), 'CustomerDetail');
const CustomerList = page(() => import('./pages/Customers'), 'CustomerList');
const EditCustomer = page(() => import('./pages/Customers'), 'EditCustomer');
const NewCustomer = page(() => import('./pages/Customers'), 'NewCustomer');
const Dashboard = page(() => import('./pages/Dashboard'), 'Dashboard');
const DeliveriesPages = page(() => import('./pages/Deliveries'), 'DeliveriesPages');
const InvoiceDetail = page(() => import('./pages/Invoices'), 'InvoiceDetail');
const InvoiceList = page(() => import('./pages/Invoices'), 'InvoiceList');
const Ledger = page(() => import('./pages/Ledger'), 'Ledger');
const PaymentDetail = page(() => import('./pages/Payments'), 'PaymentDetail');
const Payments = page(() => import('./pages/Payments'), 'Payments');
const OrderDetail = page(() => import('./pages/Orders'), 'OrderDetail');
const OrderList = page(() => import('./pages/Orders'), 'OrderList');
const QuoteDetail = page(() => import('./pages/QuoteDetail'), 'QuoteDetail');
const QuoteEditor = page(() => import('./pages/QuoteEditor'), 'QuoteEditor');
const QuoteList = page(() => import('./pages/Quotes'), 'QuoteList');
const ReportsPages = page(() => import('./pages/Reports'), 'ReportsPages');
const SettingsPages = page(() => import('./pages/Settings'), 'SettingsPages');

export function App() {
  const { session } = useSession();
  const { path, query } = useLocation();

  // signed in on the login page: go where the user was headed (only paths of this app)
  useEffect(() => {
    if (session && path === '/login') {
      const next = query.get('next');
      navigate(next !== null && next.startsWith('/') && !next.startsWith('//') ? next : '/', { replace: true });
    }
    if (session === null && path !== '/login' && path !== '/reset-password') {
      navigate(`/login${path === '/' ? '' : `?next=${encodeURIComponent(path)}`}`, { replace: true });
    }
  }, [session, path, query]);

  if (session === undefined) return <main id="main" className="boot"><Loading /></main>;
  // the link of the password-reset e-mail works signed in or not
  if (path === '/reset-password') return <ResetPassword />;
  if (session === null) return <Login />;
  return (
    <Shell>
      <Suspense fallback={<Loading />}>
        <Page path={path} />
      </Suspense>
    </Shell>
  );
}

function Page({ path }: { path: string }) {
  if (path === '/' || path === '/login') return <Dashboard />;
  if (path === '/customers') return <CustomerList />;
  if (path === '/customers/new') return <NewCustomer />;
  if (path.startsWith('/customers/') && path.endsWith('/edit')) return <EditCustomer path={path} />;
  const customer = matchPath('/customers/:id', path);
  if (customer?.['id'] !== undefined) return <CustomerDetail id={customer['id']} />;
  if (path === '/quotes') return <QuoteList />;
  if (path === '/quotes/new') return <QuoteEditor />;
  const quoteEdit = matchPath('/quotes/:id/edit', path);
  if (quoteEdit?.['id'] !== undefined) return <QuoteEditor id={quoteEdit['id']} />;
  const quote = matchPath('/quotes/:id', path);
  if (quote?.['id'] !== undefined) return <QuoteDetail id={quote['id']} />;
  if (path === '/orders') return <OrderList />;
  const order = matchPath('/orders/:id', path);
  if (order?.['id'] !== undefined) return <OrderDetail id={order['id']} />;
  if (path === '/invoices') return <InvoiceList />;
  const invoice = matchPath('/invoices/:id', path);
  if (invoice?.['id'] !== undefined) return <InvoiceDetail id={invoice['id']} />;
  if (path === '/payments') return <Payments />;
  const payment = matchPath('/payments/:id', path);
  if (payment?.['id'] !== undefined) return <PaymentDetail id={payment['id']} />;
  if (path === '/ledger') return <Ledger />;
  const under = (p: string) => path === p || path.startsWith(`${p}/`);
  if (under('/catalog')) return <CatalogPages path={path} />;
  if (under('/deliveries')) return <DeliveriesPages path={path} />;
  if (under('/claims')) return <ClaimsPages path={path} />;
  if (under('/reports')) return <ReportsPages path={path} />;
  if (under('/settings')) return <SettingsPages path={path} />;
  return <NotFound />;
}

function NotFound() {
  const { t } = useI18n();
  useTitle(t('notFound.title'));
  return (
    <section>
      <h1>{t('notFound.title')}</h1>
      <p><Link to="/">{t('notFound.back')}</Link></p>
    </section>
  );
}
