/**
 * Users and roles (admin): the company's users; a new one with a password or invited by e-mail (no
 * password: the API mails a link to set one); a change of role, deactivation and ending a user's
 * sessions, each effective on that user's next request.
 */
import { useState, type FormEvent } from 'react';
import { api, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { Link } from '../../router';
import { useSession } from '../../session';
import { DateText, Empty, Loaded, useLoad } from '../../ui';
import { Field, FormError, orNull, Saved, SelectField, useSubmit } from './shared';

type User = Schemas['User'];
export const ROLES = ['admin', 'sales_manager', 'sales', 'operations', 'finance', 'viewer'] as const;

export function UsersSettings() {
  const { t } = useI18n();
  const [users, reload] = useLoad((signal) => api.get('/v1/users', { signal }), []);
  // outside the list, which reloads after each change
  const [status, setStatus] = useState('');
  return (
    <>
      <h1>{t('settings.users.title')}</h1>
      <p className="muted">
        {t('settings.users.intro')} <Link to="/settings/account">{t('settings.users.ownAccount')}</Link>
      </p>
      <h2>{t('settings.users.list')}</h2>
      <p className="settings-saved" role="status" aria-live="polite">{status}</p>
      <Loaded value={users} retry={reload}>
        {(l) => (l.data.length === 0 ? <Empty>{t('settings.users.empty')}</Empty> : <UserTable users={l.data} onChanged={reload} onStatus={setStatus} />)}
      </Loaded>
      <NewUser onCreated={reload} />
    </>
  );
}

function NewUser({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState({ name: '', email: '', role: 'sales', password: '' });
  const [created, setCreated] = useState<User | null>(null);
  const { busy, error, run } = useSubmit();
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const password = orNull(form.password);
    const ok = await run(async () => {
      const u = await api.post('/v1/users', {
        body: { name: form.name.trim(), email: form.email.trim(), role: form.role as User['role'], ...(password === null ? {} : { password: form.password }) },
      });
      setCreated(u);
    });
    if (ok) {
      setForm({ name: '', email: '', role: form.role, password: '' });
      onCreated();
    }
  };
  return (
    <form className="card settings-form" onSubmit={submit} noValidate aria-labelledby="new-user-title" data-testid="new-user">
      <h2 id="new-user-title">{t('settings.users.new')}</h2>
      <FormError error={error} fields={['name', 'email', 'role', 'password']} />
      <div className="settings-grid">
        <Field label={t('settings.users.name')} param="name" error={error} value={form.name} onValue={set('name')} required autoComplete="off" />
        <Field label={t('settings.users.email')} param="email" error={error} value={form.email} onValue={set('email')} type="email" required autoComplete="off" />
        <SelectField label={t('settings.users.role')} param="role" error={error} value={form.role} onValue={set('role')} options={ROLES.map((r) => ({ value: r, label: t(`role.${r}` as MessageKey) }))} />
        <Field
          label={t('settings.users.password')} param="password" error={error} value={form.password} onValue={set('password')}
          type="password" autoComplete="new-password" hint={t('settings.users.passwordHint')}
        />
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('settings.saving') : t('settings.users.create')}</button>
      </div>
      <Saved show={created !== null}>
        {created === null ? '' : created.password_set ? t('settings.users.created', { name: created.name }) : t('settings.users.invited', { name: created.name, email: created.email })}
      </Saved>
    </form>
  );
}

function UserTable({ users, onChanged, onStatus }: { users: User[]; onChanged: () => void; onStatus: (s: string) => void }) {
  const { t } = useI18n();
  return (
    <>
      <table className="table" data-testid="user-list">
        <caption className="visually-hidden">{t('settings.users.list')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('settings.users.name')}</th>
            <th scope="col">{t('settings.users.email')}</th>
            <th scope="col">{t('settings.users.role')}</th>
            <th scope="col">{t('settings.users.state')}</th>
            <th scope="col">{t('settings.users.twoFactor')}</th>
            <th scope="col">{t('settings.users.since')}</th>
            <th scope="col">{t('settings.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => <UserRow key={u.id} user={u} onChanged={onChanged} onStatus={onStatus} />)}
        </tbody>
      </table>
    </>
  );
}

function UserRow({ user: u, onChanged, onStatus }: { user: User; onChanged: () => void; onStatus: (s: string) => void }) {
  const { t } = useI18n();
  const { session } = useSession();
  const [role, setRole] = useState<string>(u.role);
  const { busy, error, run } = useSubmit();
  const me = session?.user?.id === u.id;
  const act = async (work: () => Promise<unknown>, done: string) => {
    if (await run(work)) {
      if (done !== '') onStatus(done);
      onChanged();
    }
  };
  const state = !u.active ? t('settings.inactive') : u.password_set ? t('settings.active') : t('settings.users.invitedState');
  return (
    <tr data-testid={`user-${u.email}`}>
      <th scope="row">{u.name}{me ? ` (${t('settings.users.you')})` : ''}</th>
      <td>{u.email}</td>
      <td>
        <form
          className="settings-row-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act(() => api.patch('/v1/users/{id}', { path: { id: u.id }, body: { role: role as User['role'] } }), t('settings.users.roleChanged', { name: u.name }));
          }}
        >
          <label className="visually-hidden" htmlFor={`role-${u.id}`}>{t('settings.users.roleOf', { name: u.name })}</label>
          <select id={`role-${u.id}`} value={role} onChange={(e) => setRole(e.target.value)}>
            {ROLES.map((r) => <option key={r} value={r}>{t(`role.${r}` as MessageKey)}</option>)}
          </select>
          {role !== u.role && <button type="submit" className="button settings-small" disabled={busy}>{t('settings.users.changeRole')}</button>}
        </form>
        {error && <p className="field-error" role="alert">{error.message}</p>}
      </td>
      <td>{state}</td>
      <td>{u.totp_enabled ? t('settings.yes') : t('settings.no')}</td>
      <td><DateText value={u.created_at} /></td>
      <td>
        <div className="settings-row-actions">
        <button
          type="button" className="button settings-small" disabled={busy}
          onClick={() => void act(() => api.patch('/v1/users/{id}', { path: { id: u.id }, body: { active: !u.active } }), t(u.active ? 'settings.users.deactivated' : 'settings.users.activated', { name: u.name }))}
        >
          {u.active ? t('settings.users.deactivate') : t('settings.users.activate')}
          <span className="visually-hidden"> {u.name}</span>
        </button>
        {u.active && (
          <button
            type="button" className="button settings-small" disabled={busy}
            onClick={() => void act(async () => {
              const r = await api.post('/v1/users/{id}/revoke-sessions', { path: { id: u.id } });
              onStatus(t('settings.users.revoked', { name: u.name, n: r.sessions_revoked }));
            }, '')}
          >
            {t('settings.users.revokeSessions')}
            <span className="visually-hidden"> {u.name}</span>
          </button>
        )}
        </div>
      </td>
    </tr>
  );
}
