/**
 * API keys (admin): the company's keys with their role and last use; a new key is shown once, in the
 * response that created it (only its hash is stored), with a copy button and a warning; revoking
 * takes effect at once and asks for a confirmation first.
 */
import { useState, type FormEvent } from 'react';
import { api, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { DateText, Empty, Loaded, useLoad } from '../../ui';
import { Field, FormError, SelectField, ShownOnce, useSubmit } from './shared';
import { ROLES } from './Users';

type ApiKey = Schemas['ApiKey'];

export function ApiKeysSettings() {
  const { t } = useI18n();
  const [keys, reload] = useLoad((signal) => api.get('/v1/api-keys', { signal }), []);
  const [status, setStatus] = useState('');
  const [created, setCreated] = useState<ApiKey | null>(null);
  return (
    <>
      <h1>{t('settings.apiKeys.title')}</h1>
      <p className="muted">{t('settings.apiKeys.intro')}</p>
      {created?.key !== undefined && (
        <ShownOnce label={t('settings.apiKeys.theKey', { name: created.name })} value={created.key} warning={t('settings.apiKeys.once')} testId="new-api-key" />
      )}
      <h2>{t('settings.apiKeys.list')}</h2>
      <p className="settings-saved" role="status" aria-live="polite">{status}</p>
      <Loaded value={keys} retry={reload}>
        {(l) =>
          l.data.length === 0 ? (
            <Empty>{t('settings.apiKeys.empty')}</Empty>
          ) : (
            <table className="table" data-testid="api-key-list">
              <caption className="visually-hidden">{t('settings.apiKeys.list')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('settings.apiKeys.name')}</th>
                  <th scope="col">{t('settings.users.role')}</th>
                  <th scope="col">{t('settings.apiKeys.prefix')}</th>
                  <th scope="col">{t('settings.apiKeys.created')}</th>
                  <th scope="col">{t('settings.apiKeys.lastUsed')}</th>
                  <th scope="col">{t('settings.apiKeys.state')}</th>
                  <th scope="col">{t('settings.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {l.data.map((k) => <KeyRow key={k.id} apiKey={k} onRevoked={(name) => { setStatus(t('settings.apiKeys.revoked', { name })); reload(); }} />)}
              </tbody>
            </table>
          )
        }
      </Loaded>
      <NewKey onCreating={() => setCreated(null)} onCreated={(k) => { setCreated(k); reload(); }} />
    </>
  );
}

function NewKey({ onCreating, onCreated }: { onCreating: () => void; onCreated: (k: ApiKey) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [role, setRole] = useState<string>('viewer');
  const { busy, error, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    onCreating();
    let created: ApiKey | null = null;
    const ok = await run(async () => { created = await api.post('/v1/api-keys', { body: { name: name.trim(), role: role as ApiKey['role'] } }); });
    if (ok && created !== null) {
      setName('');
      onCreated(created);
      window.scrollTo(0, 0);
    }
  };
  return (
    <form className="card settings-form" onSubmit={submit} noValidate aria-labelledby="new-key-title">
      <h2 id="new-key-title">{t('settings.apiKeys.new')}</h2>
      <FormError error={error} fields={['name', 'role']} />
      <div className="settings-grid">
        <Field label={t('settings.apiKeys.name')} param="name" error={error} value={name} onValue={setName} required autoComplete="off" hint={t('settings.apiKeys.nameHint')} />
        <SelectField label={t('settings.users.role')} param="role" error={error} value={role} onValue={setRole} options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('settings.saving') : t('settings.apiKeys.create')}</button>
      </div>
    </form>
  );
}

function KeyRow({ apiKey: k, onRevoked }: { apiKey: ApiKey; onRevoked: (name: string) => void }) {
  const { t } = useI18n();
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useSubmit();
  const revoke = async () => {
    if (await run(() => api.post('/v1/api-keys/{id}/revoke', { path: { id: k.id } }))) onRevoked(k.name);
  };
  return (
    <tr data-testid={`api-key-${k.prefix}`}>
      <th scope="row">{k.name}</th>
      <td>{t(`role.${k.role}` as MessageKey)}</td>
      <td><code>{k.prefix}…</code></td>
      <td><DateText value={k.created_at} /></td>
      <td>{k.last_used_at === null ? t('settings.apiKeys.never') : <DateText value={k.last_used_at} />}</td>
      <td>{k.revoked_at === null ? t('settings.active') : <>{t('settings.apiKeys.revokedOn')} <DateText value={k.revoked_at} /></>}</td>
      <td>
        <div className="settings-row-actions">
        {k.revoked_at === null && !confirming && (
          <button type="button" className="button settings-small" onClick={() => setConfirming(true)}>
            {t('settings.apiKeys.revoke')}<span className="visually-hidden"> {k.name}</span>
          </button>
        )}
        {k.revoked_at === null && confirming && (
          <span role="group" aria-label={t('settings.apiKeys.confirmLabel', { name: k.name })}>
            <span className="settings-confirm-text">{t('settings.apiKeys.confirm')}</span>{' '}
            <button type="button" className="button settings-small settings-danger" disabled={busy} onClick={() => void revoke()}>
              {t('settings.apiKeys.confirmRevoke')}<span className="visually-hidden"> {k.name}</span>
            </button>{' '}
            <button type="button" className="button settings-small" onClick={() => setConfirming(false)}>{t('settings.cancel')}</button>
          </span>
        )}
        </div>
        {error && <p className="field-error" role="alert">{error.message}</p>}
      </td>
    </tr>
  );
}
