/**
 * Sign-in: e-mail and password, and the authenticator code once the API says the account needs one
 * (a 401 naming `totp_code`). The API's message is shown as it is; it never tells whether the e-mail
 * or the password was wrong.
 */
import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useTitle } from '../router';
import { useSession } from '../session';
import { LanguageSwitch } from './Shell';

export function Login() {
  const { t } = useI18n();
  const { signedIn } = useSession();
  useTitle(t('login.title'));
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await api.post('/v1/auth/login', {
        body: { email, password, ...(needTotp && totp !== '' ? { totp_code: totp.trim() } : {}) },
      });
      signedIn(session);
    } catch (err) {
      const apiError = err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err), null, 'api_error');
      if (apiError.param === 'totp_code') setNeedTotp(true);
      setError(apiError);
    } finally {
      setBusy(false);
    }
  };

  const errorFor = (field: string) => (error !== null && error.param === field ? error : null);
  const general = error !== null && error.param !== 'totp_code' ? error : null;

  return (
    <main className="login" id="main">
      <div className="login-card">
        <div className="login-top">
          <span className="brand" aria-hidden="true">q2c</span>
          <LanguageSwitch />
        </div>
        <h1>{t('login.title')}</h1>
        <form onSubmit={submit} noValidate>
          {general && (
            <p className="form-error" role="alert" id="login-error">
              {general.message}
            </p>
          )}
          <div className="field">
            <label htmlFor="login-email">{t('login.email')}</label>
            <input id="login-email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={general ? 'login-error' : undefined} />
          </div>
          <div className="field">
            <label htmlFor="login-password">{t('login.password')}</label>
            <input id="login-password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </div>
          {needTotp && (
            <div className="field">
              <label htmlFor="login-totp">{t('login.totp')}</label>
              <p className="hint" id="login-totp-hint">{t('login.totpHint')}</p>
              <input
                id="login-totp" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9]*" maxLength={16} autoFocus
                value={totp} onChange={(e) => setTotp(e.target.value)}
                aria-invalid={errorFor('totp_code') ? true : undefined}
                aria-describedby={errorFor('totp_code') ? 'login-totp-hint login-totp-error' : 'login-totp-hint'}
              />
              {errorFor('totp_code') && totp !== '' && (
                <p className="field-error" id="login-totp-error" role="alert">{errorFor('totp_code')?.message}</p>
              )}
            </div>
          )}
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
        <ForgotPassword email={email} />
      </div>
    </main>
  );
}

/**
 * "Forgot password?": asks the API to e-mail a reset link. The answer is the same whether or not the
 * address has an account (the API reveals nothing), so the page says so neutrally.
 */
function ForgotPassword({ email: typed }: { email: string }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.post('/v1/auth/password-reset', { body: { email: email.trim() } });
      setSent(true);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'unknown', String(err), null, 'api_error'));
    } finally {
      setBusy(false);
    }
  };
  if (!open) {
    return (
      <p className="login-forgot">
        <button type="button" className="link-button" onClick={() => { setEmail(typed); setOpen(true); }}>{t('reset.forgot')}</button>
      </p>
    );
  }
  return (
    <form className="login-forgot" onSubmit={submit} noValidate aria-labelledby="forgot-title">
      <h2 id="forgot-title">{t('reset.forgotTitle')}</h2>
      {sent ? (
        <p role="status" data-testid="reset-requested">{t('reset.requested')}</p>
      ) : (
        <>
          <p className="hint">{t('reset.forgotIntro')}</p>
          <div className="field">
            <label htmlFor="forgot-email">{t('reset.email')}</label>
            <input
              id="forgot-email" type="email" autoComplete="username" required autoFocus value={email} onChange={(e) => setEmail(e.target.value)}
              aria-invalid={error ? true : undefined} aria-describedby={error ? 'forgot-error' : undefined}
            />
            {error && <p className="field-error" id="forgot-error" role="alert">{error.message}</p>}
          </div>
          <button type="submit" className="button" disabled={busy}>{busy ? t('reset.sending') : t('reset.send')}</button>
        </>
      )}
    </form>
  );
}
