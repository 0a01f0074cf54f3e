/** Routes: the login page until the session is known, then the shell with one page per section. */
import { useEffect } from 'react';
import { useI18n } from './i18n/i18n';
import { CatalogPages } from './pages/Catalog';
import { ClaimsPages } from './pages/Claims';
import { CustomerDetail, CustomerList, EditCustomer, NewCustomer } from './pages/Customers';
import { Dashboard } from './pages/Dashboard';
import { DeliveriesPages } from './pages/Deliveries';
import { InvoiceDetail, InvoiceList } from './pages/Invoices';
import { Ledger } from './pages/Ledger';
import { Login } from './pages/Login';
import { PaymentDetail, Payments } from './pages/Payments';
import { OrderDetail, OrderList } from './pages/Orders';
import { QuoteDetail } from './pages/QuoteDetail';
import { QuoteEditor } from './pages/QuoteEditor';
import { QuoteList } from './pages/Quotes';
import { ReportsPages } from './pages/Reports';
import { ResetPassword } from './pages/ResetPassword';
import { SettingsPages } from './pages/Settings';
import { Shell } from './pages/Shell';
import { Link, matchPath, navigate, useLocation, useTitle } from './router';
import { useSession } from './session';
import { Loading } from './ui';

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
  return <Shell><Page path={path} /></Shell>;
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
