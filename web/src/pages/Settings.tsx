/**
 * The /settings section (issue 9): a row of tabs, one page each — company, number series, VAT,
 * accounts, dunning, users, API keys, webhooks, approvals, and the signed-in user's own account.
 * A tab shows only for a role that may read what it shows (writes are hidden separately on each
 * page; the server refuses them anyway); /settings opens the first tab the role may see.
 */
import { useEffect } from 'react';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import type { Permission } from '../permissions';
import { Link, matchPath, navigate, useTitle } from '../router';
import { useSession } from '../session';
import { AccountSettings } from './settings/Account';
import { AccountsSettings } from './settings/Accounts';
import { ApiKeysSettings } from './settings/ApiKeys';
import { ApprovalsSettings } from './settings/Approvals';
import { CompanySettings } from './settings/Company';
import { DunningSettings } from './settings/Dunning';
import { SeriesSettings, VatSettings } from './settings/Reference';
import { UsersSettings } from './settings/Users';
import { WebhookDetail, WebhooksSettings } from './settings/Webhooks';
import './settings.css';

interface Tab {
  slug: string;
  label: MessageKey;
  /** Who sees the tab: the permission of what it reads. */
  permission: Permission;
}

export const SETTINGS_TABS: readonly Tab[] = [
  { slug: 'company', label: 'settings.tab.company', permission: 'documents.read' },
  { slug: 'series', label: 'settings.tab.series', permission: 'books.read' },
  { slug: 'vat', label: 'settings.tab.vat', permission: 'documents.read' },
  { slug: 'accounts', label: 'settings.tab.accounts', permission: 'books.read' },
  { slug: 'dunning', label: 'settings.tab.dunning', permission: 'books.read' },
  { slug: 'users', label: 'settings.tab.users', permission: 'admin' },
  { slug: 'api-keys', label: 'settings.tab.apiKeys', permission: 'admin' },
  { slug: 'webhooks', label: 'settings.tab.webhooks', permission: 'admin' },
  { slug: 'approvals', label: 'settings.tab.approvals', permission: 'documents.read' },
  { slug: 'account', label: 'settings.tab.account', permission: 'self' },
];

export function SettingsPages({ path }: { path: string }) {
  const { t } = useI18n();
  const { may } = useSession();
  const tabs = SETTINGS_TABS.filter((tab) => may(tab.permission));
  const webhook = matchPath('/settings/webhooks/:id', path);
  const slug = webhook !== null ? 'webhooks' : (matchPath('/settings/:tab', path)?.['tab'] ?? null);
  const tab = tabs.find((x) => x.slug === slug);
  const first = tabs[0];

  // /settings itself: the first tab this role may see
  useEffect(() => {
    if (path.replace(/\/$/, '') === '/settings' && first !== undefined) navigate(`/settings/${first.slug}`, { replace: true });
  }, [path, first]);

  const title = tab === undefined ? t('nav.settings') : `${t(tab.label)} · ${t('nav.settings')}`;
  useTitle(title);

  return (
    <section className="settings" aria-labelledby="settings-title">
      <p className="settings-section" id="settings-title">{t('nav.settings')}</p>
      <nav className="settings-tabs" aria-label={t('settings.tabs')}>
        <ul>
          {tabs.map((x) => (
            <li key={x.slug}>
              <Link to={`/settings/${x.slug}`} aria-current={x.slug === slug ? 'page' : undefined}>{t(x.label)}</Link>
            </li>
          ))}
        </ul>
      </nav>
      <div className="settings-page">
        {tab === undefined ? (
          slug === null ? null : <NotOffered />
        ) : webhook?.['id'] !== undefined ? (
          <WebhookDetail id={webhook['id']} />
        ) : (
          <TabPage slug={tab.slug} />
        )}
      </div>
    </section>
  );
}

function TabPage({ slug }: { slug: string }) {
  switch (slug) {
    case 'company': return <CompanySettings />;
    case 'series': return <SeriesSettings />;
    case 'vat': return <VatSettings />;
    case 'accounts': return <AccountsSettings />;
    case 'dunning': return <DunningSettings />;
    case 'users': return <UsersSettings />;
    case 'api-keys': return <ApiKeysSettings />;
    case 'webhooks': return <WebhooksSettings />;
    case 'approvals': return <ApprovalsSettings />;
    case 'account': return <AccountSettings />;
    default: return <NotOffered />;
  }
}

/** A settings page that does not exist, or that this role may not see. */
function NotOffered() {
  const { t } = useI18n();
  return (
    <>
      <h1>{t('settings.notOffered.title')}</h1>
      <p>{t('settings.notOffered.body')}</p>
    </>
  );
}
