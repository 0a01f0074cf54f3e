/**
 * Approvals: the quote approval rules (a discount above, a margin below, a total above: the quote
 * needs a sales manager's approval) and the second-approval thresholds of refunds and bad-debt
 * write-offs. Everyone reads the rules, books.read the thresholds; only admins change either.
 */
import { useState, type FormEvent } from 'react';
import { api, type Schemas } from '../../api/client';
import { formatDecimal } from '../../format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { useSession } from '../../session';
import { Empty, Loaded, Money, useLoad } from '../../ui';
import { Field, FormError, orNull, put, Saved, SelectField, useSubmit } from './shared';

type Rule = Schemas['ApprovalRule'];
const KINDS = ['line_discount_above', 'quote_discount_above', 'margin_below', 'total_above'] as const;
type Kind = (typeof KINDS)[number];

export function ApprovalsSettings() {
  const { t } = useI18n();
  const { may } = useSession();
  const [rules, reloadRules] = useLoad((signal) => api.get('/v1/settings/approval-rules', { signal }), []);
  const [company] = useLoad((signal) => api.get('/v1/settings/company', { signal }), []);
  const base = company.state === 'ready' ? company.data.base_currency : 'SEK';
  return (
    <>
      <h1>{t('settings.approvals.title')}</h1>
      <h2>{t('settings.approvals.rules')}</h2>
      <p className="muted">{t('settings.approvals.rulesIntro')}</p>
      <Loaded value={rules} retry={reloadRules}>
        {(l) => (may('admin') ? <RulesForm rules={l.data} base={base} /> : <RulesView rules={l.data} />)}
      </Loaded>
      {may('books.read') && <Thresholds canWrite={may('admin')} />}
    </>
  );
}

function RulesView({ rules }: { rules: Rule[] }) {
  const { t, lang } = useI18n();
  if (rules.length === 0) return <Empty>{t('settings.approvals.noRules')}</Empty>;
  return (
    <ul className="card settings-rules" data-testid="approval-rules">
      {rules.map((r) => (
        <li key={r.id}>
          {t(`settings.approvals.kind.${r.kind}` as MessageKey)}: {r.kind === 'total_above' ? <Money value={r.amount} /> : `${formatDecimal(r.percent ?? '0', lang)} %`}
        </li>
      ))}
    </ul>
  );
}

interface RuleRow { kind: Kind; value: string; currency: string }

function RulesForm({ rules, base }: { rules: Rule[]; base: string }) {
  const { t } = useI18n();
  const [rows, setRows] = useState<RuleRow[]>(() =>
    rules.map((r) => ({ kind: r.kind, value: r.kind === 'total_above' ? (r.amount?.amount ?? '') : (r.percent ?? ''), currency: r.amount?.currency ?? base })),
  );
  const { busy, error, done, run } = useSubmit();
  const setRow = (i: number, patch: Partial<RuleRow>) => setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const saved = await put('/v1/settings/approval-rules', {
        body: {
          rules: rows.map((r) =>
            r.kind === 'total_above' ? { kind: 'total_above' as const, amount: { amount: r.value.trim(), currency: r.currency.trim().toUpperCase() } } : { kind: r.kind, percent: r.value.trim() },
          ),
        },
      });
      setRows(saved.data.map((r) => ({ kind: r.kind, value: r.kind === 'total_above' ? (r.amount?.amount ?? '') : (r.percent ?? ''), currency: r.amount?.currency ?? base })));
    });
  };
  return (
    <form className="card settings-form" onSubmit={submit} noValidate data-testid="approval-rules-form" aria-label={t('settings.approvals.rules')}>
      <FormError error={error} fields={['rules']} />
      {rows.length === 0 && <p className="muted">{t('settings.approvals.noRules')}</p>}
      <ol className="settings-levels">
        {rows.map((r, i) => (
          <li key={i} className="settings-level">
            <SelectField
              label={t('settings.approvals.kindN', { n: i + 1 })} param={`rules.${i}.kind`} error={error} value={r.kind}
              onValue={(v) => setRow(i, { kind: v as Kind })} options={KINDS.map((k) => ({ value: k, label: t(`settings.approvals.kind.${k}` as MessageKey) }))}
            />
            <Field
              label={r.kind === 'total_above' ? t('settings.approvals.amountN', { n: i + 1 }) : t('settings.approvals.percentN', { n: i + 1 })}
              param={r.kind === 'total_above' ? `rules.${i}.amount` : `rules.${i}.percent`} error={error} value={r.value} onValue={(v) => setRow(i, { value: v })} inputMode="decimal"
            />
            {r.kind === 'total_above' && (
              <Field label={t('settings.approvals.currencyN', { n: i + 1 })} param={`rules.${i}.amount.currency`} error={error} value={r.currency} onValue={(v) => setRow(i, { currency: v })} maxLength={3} />
            )}
            <button type="button" className="button settings-small" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>{t('settings.approvals.remove', { n: i + 1 })}</button>
          </li>
        ))}
      </ol>
      <div className="actions">
        <button type="button" className="button" onClick={() => setRows((rs) => [...rs, { kind: 'quote_discount_above', value: '', currency: base }])}>{t('settings.approvals.add')}</button>
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('settings.saving') : t('settings.approvals.saveRules')}</button>
      </div>
      <Saved show={done}>{t('settings.saved')}</Saved>
    </form>
  );
}

function Thresholds({ canWrite }: { canWrite: boolean }) {
  const { t } = useI18n();
  const [settings, reload] = useLoad((signal) => api.get('/v1/settings/approvals', { signal }), []);
  return (
    <>
      <h2>{t('settings.approvals.thresholds')}</h2>
      <p className="muted">{t('settings.approvals.thresholdsIntro')}</p>
      <Loaded value={settings} retry={reload}>
        {(s) => (canWrite ? <ThresholdsForm settings={s} /> : (
          <dl className="card details">
            <dt>{t('settings.approvals.refund')}</dt><dd>{s.refund_threshold === null ? t('settings.approvals.none') : <Money value={s.refund_threshold} />}</dd>
            <dt>{t('settings.approvals.writeOff')}</dt><dd>{s.write_off_approval_threshold === null ? t('settings.approvals.none') : <Money value={s.write_off_approval_threshold} />}</dd>
          </dl>
        ))}
      </Loaded>
    </>
  );
}

function ThresholdsForm({ settings }: { settings: Schemas['ApprovalSettings'] }) {
  const { t } = useI18n();
  const [refund, setRefund] = useState(settings.refund_threshold?.amount ?? '');
  const [writeOff, setWriteOff] = useState(settings.write_off_approval_threshold?.amount ?? '');
  const { busy, error, done, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const saved = await put('/v1/settings/approvals', { body: { refund_threshold: orNull(refund), write_off_approval_threshold: orNull(writeOff) } });
      setRefund(saved.refund_threshold?.amount ?? '');
      setWriteOff(saved.write_off_approval_threshold?.amount ?? '');
    });
  };
  return (
    <form className="card settings-form" onSubmit={submit} noValidate aria-label={t('settings.approvals.thresholds')}>
      <FormError error={error} fields={['refund_threshold', 'write_off_approval_threshold']} />
      <div className="settings-grid">
        <Field label={t('settings.approvals.refund')} param="refund_threshold" error={error} value={refund} onValue={setRefund} inputMode="decimal" hint={t('settings.approvals.blankNone')} />
        <Field label={t('settings.approvals.writeOff')} param="write_off_approval_threshold" error={error} value={writeOff} onValue={setWriteOff} inputMode="decimal" hint={t('settings.approvals.blankNone')} />
      </div>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('settings.saving') : t('settings.save')}</button>
      </div>
      <Saved show={done}>{t('settings.saved')}</Saved>
    </form>
  );
}
