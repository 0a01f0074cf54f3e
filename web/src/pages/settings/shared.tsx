/**
 * Pieces the settings pages share: a form's submit state with the API's error, a labelled field that
 * shows the API's message when the error names it, a polite "saved" status, and a secret shown once
 * with a copy button.
 */
import { useId, useState, type InputHTMLAttributes, type ReactNode } from 'react';
import { ApiError, request, type PathsWith, type RequestOptions } from '../../api/client';
import { useI18n } from '../../i18n/i18n';

/** PUT through the typed client (client.ts exports `request`; `api` has no put helper). */
export const put = <P extends PathsWith<'put'>>(path: P, options?: RequestOptions<P, 'put'>) => request('put', path, options);

export function asApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError(0, 'unknown', err instanceof Error ? err.message : String(err), null, 'api_error');
}

/** True when the error names this field or one inside it ("address" matches "address.city"). */
export function names(error: ApiError | null, param: string): boolean {
  const p = error?.param;
  return p != null && (p === param || p.startsWith(`${param}.`));
}

/** A form's submit: busy while it runs, the API's error afterwards, `done` set after a success. */
export function useSubmit() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState(false);
  const run = async (work: () => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await work();
      setDone(true);
      return true;
    } catch (err) {
      setError(asApiError(err));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, done, run, setError, setDone };
}

/**
 * The error of a form: a message the page shows above the fields when no field of the form is named,
 * otherwise an announcement only (the message itself stands beside the field).
 */
export function FormError({ error, fields }: { error: ApiError | null; fields: readonly string[] }) {
  if (error === null) return null;
  const atField = fields.some((f) => names(error, f));
  return atField ? <p className="visually-hidden" role="alert">{error.message}</p> : <p className="form-error" role="alert">{error.message}</p>;
}

export function Saved({ show, children }: { show: boolean; children: ReactNode }) {
  return (
    <p className="settings-saved" role="status" aria-live="polite">
      {show ? children : ''}
    </p>
  );
}

/** A labelled input; the API's message beside it when the error names `param`. */
export function Field({
  label,
  param,
  error,
  hint,
  value,
  onValue,
  ...rest
}: {
  label: string;
  param: string;
  error: ApiError | null;
  hint?: string;
  value: string;
  onValue: (v: string) => void;
} & Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'>) {
  const id = useId();
  const err = names(error, param) ? error : null;
  const described = [hint !== undefined ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      <input
        id={id}
        value={value}
        onChange={(e) => onValue(e.target.value)}
        aria-invalid={err ? true : undefined}
        aria-describedby={described === '' ? undefined : described}
        data-param={param}
        {...rest}
      />
      {err && <p className="field-error" id={`${id}-error`}>{err.message}</p>}
    </div>
  );
}

export function SelectField({
  label,
  param,
  error,
  value,
  onValue,
  options,
  hint,
}: {
  label: string;
  param: string;
  error: ApiError | null;
  value: string;
  onValue: (v: string) => void;
  options: readonly { value: string; label: string }[];
  hint?: string;
}) {
  const id = useId();
  const err = names(error, param) ? error : null;
  const described = [hint !== undefined ? `${id}-hint` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      <select id={id} value={value} onChange={(e) => onValue(e.target.value)} aria-invalid={err ? true : undefined} aria-describedby={described === '' ? undefined : described}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {err && <p className="field-error" id={`${id}-error`}>{err.message}</p>}
    </div>
  );
}

export function CheckField({ label, checked, onChecked, hint }: { label: string; checked: boolean; onChecked: (v: boolean) => void; hint?: string }) {
  const id = useId();
  return (
    <div className="field field-check">
      <input id={id} type="checkbox" checked={checked} onChange={(e) => onChecked(e.target.checked)} aria-describedby={hint !== undefined ? `${id}-hint` : undefined} />
      <label htmlFor={id}>{label}</label>
      {hint !== undefined && <p className="hint" id={`${id}-hint`}>{hint}</p>}
    </div>
  );
}

/** A secret the API returns once: shown in a read-only field with a copy button and a warning. */
export function ShownOnce({ label, value, warning, testId }: { label: string; value: string; warning: string; testId?: string }) {
  const { t } = useI18n();
  const id = useId();
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // no clipboard (plain http, or refused): the field is selected for a manual copy
      (document.getElementById(id) as HTMLInputElement | null)?.select();
      setCopied('no');
    }
  };
  return (
    <div className="settings-secret" role="region" aria-labelledby={`${id}-label`}>
      <p className="settings-secret-warning" id={`${id}-warning`}><strong>{warning}</strong></p>
      <div className="field">
        <label htmlFor={id} id={`${id}-label`}>{label}</label>
        <div className="settings-secret-row">
          <input id={id} readOnly value={value} aria-describedby={`${id}-warning`} onFocus={(e) => e.target.select()} {...(testId !== undefined ? { 'data-testid': testId } : {})} />
          <button type="button" className="button" onClick={() => void copy()}>{t('settings.copy')}</button>
        </div>
        <p className="hint" role="status" aria-live="polite">{copied === 'yes' ? t('settings.copied') : copied === 'no' ? t('settings.copyManually') : ''}</p>
      </div>
    </div>
  );
}

/** "" → null, otherwise the trimmed text. */
export const orNull = (v: string): string | null => (v.trim() === '' ? null : v.trim());
