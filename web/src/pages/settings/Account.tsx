/**
 * The signed-in user's own account, for every role: change the password (the current one is
 * needed; the user's other sessions end) and two-factor sign-in (TOTP): the secret and its
 * otpauth:// link shown once as the API gives them, confirmed with a code; turned off with the password.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError, type Schemas } from '../../api/client';
import type { MessageKey } from '../../i18n/messages';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session';
import { Field, FormError, Saved, ShownOnce, useSubmit } from './shared';

type User = Schemas['User'];

export function AccountSettings() {
  const { t } = useI18n();
  const { session } = useSession();
  const [user, setUser] = useState<User | null>(session?.user ?? null);
  return (
    <>
      <h1>{t('settings.account.title')}</h1>
      {user === null ? (
        <p>{t('settings.account.apiKey')}</p>
      ) : (
        <>
          <div className="card">
            <dl className="details">
              <dt>{t('settings.users.name')}</dt><dd>{user.name}</dd>
              <dt>{t('settings.users.email')}</dt><dd>{user.email}</dd>
              <dt>{t('settings.users.role')}</dt><dd>{t(`role.${user.role}` as MessageKey)}</dd>
            </dl>
          </div>
          <ChangePassword email={user.email} onChanged={setUser} />
          <TwoFactor user={user} onChanged={setUser} />
        </>
      )}
    </>
  );
}

function ChangePassword({ email, onChanged }: { email: string; onChanged: (u: User) => void }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const { busy, error, done, run, setError } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (next !== again) {
      setError(new ApiError(400, 'mismatch', t('settings.account.mismatch'), 'new_password_again', 'invalid_request_error'));
      return;
    }
    const ok = await run(async () => onChanged(await api.post('/v1/me/password', { body: { current_password: current, new_password: next } })));
    if (ok) {
      setCurrent('');
      setNext('');
      setAgain('');
    }
  };
  return (
    <form className="card settings-form" onSubmit={submit} noValidate aria-labelledby="password-title">
      <h2 id="password-title">{t('settings.account.password')}</h2>
      <p className="muted">{t('settings.account.passwordIntro')}</p>
      {/* lets a password manager file the new password under the right account */}
      <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
      <FormError error={error} fields={['current_password', 'new_password', 'new_password_again']} />
      <Field label={t('settings.account.current')} param="current_password" error={error} value={current} onValue={setCurrent} type="password" autoComplete="current-password" />
      <Field label={t('reset.new')} param="new_password" error={error} value={next} onValue={setNext} type="password" autoComplete="new-password" hint={t('reset.rules')} />
      <Field label={t('reset.again')} param="new_password_again" error={error} value={again} onValue={setAgain} type="password" autoComplete="new-password" />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('settings.saving') : t('settings.account.change')}</button>
      </div>
      <Saved show={done}>{t('settings.account.changed')}</Saved>
    </form>
  );
}

function TwoFactor({ user, onChanged }: { user: User; onChanged: (u: User) => void }) {
  const { t } = useI18n();
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauth_uri: string } | null>(null);
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, done, run, setDone } = useSubmit();
  const [message, setMessage] = useState('');

  const start = () =>
    void run(async () => {
      const r = await api.post('/v1/me/totp');
      setEnrolment({ secret: r.secret, otpauth_uri: r.otpauth_uri });
      setMessage('');
    }).then(() => setDone(false));
  const confirm = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(async () => onChanged(await api.post('/v1/me/totp/confirm', { body: { code: code.trim() } })));
    if (ok) {
      setEnrolment(null);
      setCode('');
      setMessage(t('settings.account.totpOn'));
    }
  };
  const disable = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(async () => onChanged(await api.post('/v1/me/totp/disable', { body: { password } })));
    if (ok) {
      setPassword('');
      setMessage(t('settings.account.totpOff'));
    }
  };

  return (
    <section className="card settings-form" aria-labelledby="totp-title">
      <h2 id="totp-title">{t('settings.account.totp')}</h2>
      <p>{user.totp_enabled ? t('settings.account.totpIsOn') : t('settings.account.totpIsOff')}</p>
      {user.totp_enabled ? (
        <form onSubmit={disable} noValidate aria-label={t('settings.account.totpDisable')}>
          <FormError error={error} fields={['password']} />
          <Field label={t('settings.account.current')} param="password" error={error} value={password} onValue={setPassword} type="password" autoComplete="current-password" />
          <button type="submit" className="button" disabled={busy}>{t('settings.account.totpDisable')}</button>
        </form>
      ) : enrolment === null ? (
        <>
          <FormError error={error} fields={[]} />
          <button type="button" className="button button-primary" onClick={start} disabled={busy}>{t('settings.account.totpStart')}</button>
        </>
      ) : (
        <form onSubmit={confirm} noValidate aria-label={t('settings.account.totpConfirm')}>
          <p>{t('settings.account.totpScan')}</p>
          <ShownOnce label={t('settings.account.totpSecret')} value={enrolment.secret} warning={t('settings.account.totpSecretWarning')} testId="totp-secret" />
          <p><a href={enrolment.otpauth_uri}>{t('settings.account.totpOpen')}</a></p>
          <FormError error={error} fields={['code']} />
          <Field label={t('settings.account.totpCode')} param="code" error={error} value={code} onValue={setCode} inputMode="numeric" autoComplete="one-time-code" maxLength={16} />
          <button type="submit" className="button button-primary" disabled={busy}>{t('settings.account.totpConfirm')}</button>
        </form>
      )}
      <p className="settings-saved" role="status" aria-live="polite">{done ? message : ''}</p>
    </section>
  );
}
