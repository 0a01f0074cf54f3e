/**
 * /reset-password#token=…: the page the password-reset (and invitation) e-mail links to, signed in or
 * not. The token is read from the URL fragment, which browsers never send to a server; it leaves the
 * page only in the reset call itself, and is taken out of the address bar at once so it does not stay
 * in the history. The new password twice; the API's message beside the field it names (a used or
 * expired link names `token`, a weak password `new_password`); on success a link to sign in.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { useTitle } from '../router';
import { LanguageSwitch } from './Shell';
import { asApiError } from './settings/shared';

/** The token of "#token=…", or null. */
export function tokenOfHash(hash: string): string | null {
  const value = new URLSearchParams(hash.replace(/^#/, '')).get('token');
  return value === null || value.trim() === '' ? null : value.trim();
}

export function ResetPassword() {
  const { t } = useI18n();
  useTitle(t('reset.title'));
  const [token] = useState(() => tokenOfHash(window.location.hash));
  // keep the token in this page's memory only, not in the address bar or the history
  useEffect(() => {
    if (window.location.hash !== '') window.history.replaceState(null, '', window.location.pathname + window.location.search);
  }, []);
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    if (token === null) return;
    if (password !== again) {
      setError(new ApiError(400, 'mismatch', t('reset.mismatch'), 'new_password_again', 'invalid_request_error'));
      return;
    }
    setBusy(true);
    try {
      await api.post('/v1/auth/password-reset/confirm', { body: { token, new_password: password } });
      setDone(true);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const fieldError = (param: string) => (error !== null && error.param === param ? error : null);
  const tokenError = fieldError('token');
  const general = error !== null && !['token', 'new_password', 'new_password_again'].includes(error.param ?? '') ? error : null;

  return (
    <main className="login" id="main">
      <div className="login-card">
        <div className="login-top">
          <span className="brand" aria-hidden="true">q2c</span>
          <LanguageSwitch />
        </div>
        <h1>{t('reset.title')}</h1>
        {done ? (
          <div role="status" data-testid="reset-done">
            <p>{t('reset.done')}</p>
            {/* a full load: the reset ended every session, so the app asks the server again */}
            <p><a href="/login" className="button button-primary">{t('reset.signIn')}</a></p>
          </div>
        ) : token === null ? (
          <div role="alert">
            <p>{t('reset.noToken')}</p>
            <p><a href="/login">{t('reset.toLogin')}</a></p>
          </div>
        ) : (
          <form onSubmit={submit} noValidate>
            {tokenError && (
              <div className="form-error" role="alert" id="reset-token-error">
                <p>{t('reset.badToken')}</p>
                <p className="muted">{tokenError.message}</p>
                <p><a href="/login">{t('reset.askAgain')}</a></p>
              </div>
            )}
            {general && <p className="form-error" role="alert">{general.message}</p>}
            {(fieldError('new_password') ?? fieldError('new_password_again')) && (
              <p className="visually-hidden" role="alert">{(fieldError('new_password') ?? fieldError('new_password_again'))?.message}</p>
            )}
            <p className="hint" id="reset-rules">{t('reset.rules')}</p>
            <div className="field">
              <label htmlFor="reset-new">{t('reset.new')}</label>
              <input
                id="reset-new" type="password" autoComplete="new-password" required value={password} onChange={(e) => setPassword(e.target.value)}
                aria-invalid={fieldError('new_password') ? true : undefined}
                aria-describedby={fieldError('new_password') ? 'reset-rules reset-new-error' : 'reset-rules'}
              />
              {fieldError('new_password') && <p className="field-error" id="reset-new-error">{fieldError('new_password')?.message}</p>}
            </div>
            <div className="field">
              <label htmlFor="reset-again">{t('reset.again')}</label>
              <input
                id="reset-again" type="password" autoComplete="new-password" required value={again} onChange={(e) => setAgain(e.target.value)}
                aria-invalid={fieldError('new_password_again') ? true : undefined}
                aria-describedby={fieldError('new_password_again') ? 'reset-again-error' : undefined}
              />
              {fieldError('new_password_again') && <p className="field-error" id="reset-again-error">{fieldError('new_password_again')?.message}</p>}
            </div>
            <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('reset.saving') : t('reset.submit')}</button>
          </form>
        )}
      </div>
    </main>
  );
}
