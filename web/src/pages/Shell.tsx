/** The frame around every signed-in page: header (user, role, language, sign-out) and section navigation. */
import { useEffect, useRef, type ReactNode } from 'react';
import type { Lang } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { Link, navigate, useLocation } from '../router';
import { useSession } from '../session';

/** Every section of the app, in the order of the process. */
export const SECTIONS: { path: string; label: MessageKey }[] = [
  { path: '/', label: 'nav.dashboard' },
  { path: '/customers', label: 'nav.customers' },
  { path: '/catalog', label: 'nav.catalog' },
  { path: '/quotes', label: 'nav.quotes' },
  { path: '/orders', label: 'nav.orders' },
  { path: '/deliveries', label: 'nav.deliveries' },
  { path: '/claims', label: 'nav.claims' },
  { path: '/invoices', label: 'nav.invoices' },
  { path: '/payments', label: 'nav.payments' },
  { path: '/ledger', label: 'nav.ledger' },
  { path: '/reports', label: 'nav.reports' },
  { path: '/settings', label: 'nav.settings' },
];

export function LanguageSwitch() {
  const { lang, setLang, t } = useI18n();
  return (
    <div className="lang-switch">
      <label htmlFor="lang-select">{t('header.language')}</label>
      <select id="lang-select" value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        <option value="sv" lang="sv">Svenska</option>
        <option value="en" lang="en">English</option>
      </select>
    </div>
  );
}

export function Shell({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { session, signOut } = useSession();
  const { path } = useLocation();
  // after a navigation, keyboard and screen-reader users start at the new page's content, not the link
  const navigated = useRef(false);
  useEffect(() => {
    if (navigated.current) document.getElementById('main')?.focus({ preventScroll: true });
    navigated.current = true;
  }, [path]);
  const current = (p: string) => (p === '/' ? path === '/' : path === p || path.startsWith(`${p}/`));
  const name = session?.user?.name ?? session?.user?.email ?? '';
  const role = session?.role ?? '';
  return (
    <div className="shell">
      <a className="skip-link" href="#main">{t('app.skip')}</a>
      <header className="topbar">
        <Link to="/" className="brand">q2c</Link>
        <div className="topbar-right">
          <span className="user" title={t('header.signedInAs', { name })}>
            <span className="user-name">{name}</span>
            <span className="user-role" data-role={role}>{t(`role.${role}` as MessageKey)}</span>
          </span>
          <LanguageSwitch />
          <button
            type="button"
            className="button"
            onClick={() => {
              void signOut().finally(() => navigate('/login', { replace: true }));
            }}
          >
            {t('header.logout')}
          </button>
        </div>
      </header>
      <div className="body">
        <nav className="sidenav" aria-label={t('nav.label')}>
          <ul>
            {SECTIONS.map((s) => (
              <li key={s.path}>
                <Link to={s.path} aria-current={current(s.path) ? 'page' : undefined}>
                  {t(s.label)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" className="content" tabIndex={-1}>
          {children}
        </main>
      </div>
    </div>
  );
}
