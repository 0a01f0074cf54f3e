/**
 * A portal link just created (quote, order, delivery, invoice): shown once to copy, since only its
 * hash is stored. The words are the quote page's ("Portal link for the customer").
 */
import { useId } from 'react';
import { useI18n } from './i18n/i18n';

/** `hint`: what the customer can do there (the default says only that the link is shown once). */
export function PortalLinkCard({ url, hint }: { url: string; hint?: string }) {
  const { t } = useI18n();
  const id = useId();
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
    } catch {
      // no clipboard (an insecure origin): the link stays selected for Ctrl+C
    }
    (document.getElementById(id) as HTMLInputElement | null)?.select();
  };
  return (
    <div className="card portal-link" data-testid="portal-link">
      <label htmlFor={id}>{t('quote.portalUrl')}</label>
      <div className="copy-row">
        <input id={id} readOnly value={url} onFocus={(e) => e.target.select()} />
        <button type="button" className="button" onClick={() => void copy()}>{t('quote.copy')}</button>
      </div>
      <p className="hint">{hint ?? t('quote.portalOnce')}</p>
    </div>
  );
}
