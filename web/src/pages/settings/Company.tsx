/**
 * Company settings: the seller details every document prints and the company-wide choices (payment
 * reference, credit hold, stock, review window, billing grouping). Admins edit them; other roles see
 * them. The API checks every field and names the one it refuses, shown beside it.
 */
import { useState, type FormEvent } from 'react';
import { api, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session';
import { Loaded, useLoad } from '../../ui';
import { CheckField, Field, FormError, orNull, Saved, SelectField, useSubmit } from './shared';

type Company = Schemas['Company'];

export function CompanySettings() {
  const { t } = useI18n();
  const { may } = useSession();
  const [company, reload] = useLoad((signal) => api.get('/v1/settings/company', { signal }), []);
  return (
    <>
      <h1>{t('settings.company.title')}</h1>
      <p className="muted">{t('settings.company.intro')}</p>
      <Loaded value={company} retry={reload}>
        {(c) => (may('admin') ? <CompanyForm company={c} /> : <CompanyView company={c} />)}
      </Loaded>
    </>
  );
}

function CompanyView({ company: c }: { company: Company }) {
  const { t } = useI18n();
  const address = [c.address.line1, c.address.line2, [c.address.postal_code, c.address.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  return (
    <div className="card">
      <dl className="details" data-testid="company-details">
        <dt>{t('settings.company.name')}</dt><dd>{c.name}</dd>
        <dt>{t('settings.company.orgNumber')}</dt><dd>{c.org_number ?? '–'}</dd>
        <dt>{t('settings.company.vatNumber')}</dt><dd>{c.vat_number ?? '–'}</dd>
        <dt>{t('settings.company.address')}</dt><dd>{address || '–'}</dd>
        <dt>{t('settings.company.email')}</dt><dd>{c.email ?? '–'}</dd>
        <dt>{t('settings.company.phone')}</dt><dd>{c.phone ?? '–'}</dd>
        <dt>{t('settings.company.bankgiro')}</dt><dd>{c.bankgiro ?? '–'}</dd>
        <dt>{t('settings.company.iban')}</dt><dd>{c.iban ?? '–'}</dd>
        <dt>{t('settings.company.bic')}</dt><dd>{c.bic ?? '–'}</dd>
        <dt>{t('settings.company.fSkatt')}</dt><dd>{c.f_skatt ? t('settings.yes') : t('settings.no')}</dd>
        <dt>{t('settings.company.baseCurrency')}</dt><dd>{c.base_currency}</dd>
        <dt>{t('settings.company.country')}</dt><dd>{c.country}</dd>
        <dt>{t('settings.company.paymentReference')}</dt><dd>{t(c.payment_reference_kind === 'rf' ? 'settings.company.ref.rf' : 'settings.company.ref.ocr')}</dd>
        <dt>{t('settings.company.billingGrouping')}</dt><dd>{t(c.billing_grouping === 'per_customer' ? 'settings.company.grouping.per_customer' : 'settings.company.grouping.per_order')}</dd>
      </dl>
      <p className="muted">{t('settings.adminOnly')}</p>
    </div>
  );
}

const OCR_LEVELS = ['soft', 'hard', 'hard_variable_length', 'hard_fixed_length'] as const;

function formOf(c: Company) {
  return {
    name: c.name,
    org_number: c.org_number ?? '',
    vat_number: c.vat_number ?? '',
    line1: c.address.line1 ?? '',
    line2: c.address.line2 ?? '',
    postal_code: c.address.postal_code ?? '',
    city: c.address.city ?? '',
    email: c.email ?? '',
    phone: c.phone ?? '',
    bankgiro: c.bankgiro ?? '',
    iban: c.iban ?? '',
    bic: c.bic ?? '',
    f_skatt: c.f_skatt,
    credit_hold_overdue_days: c.credit_hold_overdue_days === null ? '' : String(c.credit_hold_overdue_days),
    allow_negative_stock: c.allow_negative_stock,
    review_window_days: String(c.review_window_days),
    payment_reference_kind: c.payment_reference_kind,
    ocr_control: c.ocr_control,
    ocr_lengths: (c.ocr_lengths ?? []).join(', '),
    billing_grouping: c.billing_grouping,
  };
}

const FIELDS = [
  'name', 'org_number', 'vat_number', 'address', 'email', 'phone', 'bankgiro', 'iban', 'bic', 'credit_hold_overdue_days', 'review_window_days',
  'payment_reference_kind', 'ocr_control', 'ocr_lengths', 'billing_grouping',
] as const;

/** "12" → 12, "" → null; anything else goes to the API as it is typed, so its message names the field. */
const whole = (v: string): number | null => (v.trim() === '' ? null : /^-?\d+$/.test(v.trim()) ? Number(v.trim()) : (v as unknown as number));

function CompanyForm({ company }: { company: Company }) {
  const { t } = useI18n();
  const [form, setForm] = useState(() => formOf(company));
  const { busy, error, done, run } = useSubmit();
  const set = <K extends keyof typeof form>(k: K) => (v: (typeof form)[K]) => setForm((f) => ({ ...f, [k]: v }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const lengths = form.ocr_lengths.split(/[\s,;]+/).filter(Boolean).map((x) => (/^\d+$/.test(x) ? Number(x) : (x as unknown as number)));
      const saved = await api.patch('/v1/settings/company', {
        body: {
          name: form.name.trim(),
          org_number: orNull(form.org_number),
          vat_number: orNull(form.vat_number),
          address: { line1: orNull(form.line1), line2: orNull(form.line2), postal_code: orNull(form.postal_code), city: orNull(form.city) },
          email: orNull(form.email),
          phone: orNull(form.phone),
          bankgiro: orNull(form.bankgiro),
          iban: orNull(form.iban),
          bic: orNull(form.bic),
          f_skatt: form.f_skatt,
          credit_hold_overdue_days: whole(form.credit_hold_overdue_days),
          allow_negative_stock: form.allow_negative_stock,
          ...(form.review_window_days.trim() === '' ? {} : { review_window_days: whole(form.review_window_days) as number }),
          payment_reference_kind: form.payment_reference_kind,
          ocr_control: form.ocr_control,
          ...(form.ocr_control === 'hard_fixed_length' ? { ocr_lengths: lengths } : {}),
          billing_grouping: form.billing_grouping,
        },
      });
      setForm(formOf(saved));
    });
  };

  const f = (k: 'name' | 'org_number' | 'vat_number' | 'email' | 'phone' | 'bankgiro' | 'iban' | 'bic', label: string, extra: Record<string, unknown> = {}) => (
    <Field label={label} param={k} error={error} value={form[k]} onValue={set(k)} {...extra} />
  );
  const a = (k: 'line1' | 'line2' | 'postal_code' | 'city', label: string, extra: Record<string, unknown> = {}) => (
    <Field label={label} param={`address.${k}`} error={error} value={form[k]} onValue={set(k)} {...extra} />
  );

  return (
    <form className="card settings-form" onSubmit={submit} noValidate data-testid="company-form">
      <FormError error={error} fields={FIELDS} />
      <fieldset>
        <legend>{t('settings.company.identity')}</legend>
        <div className="settings-grid">
          {f('name', t('settings.company.name'), { required: true, autoComplete: 'organization' })}
          {f('org_number', t('settings.company.orgNumber'), { hint: t('settings.company.orgNumberHint') })}
          {f('vat_number', t('settings.company.vatNumber'), { hint: t('settings.company.vatNumberHint') })}
          <CheckField label={t('settings.company.fSkatt')} checked={form.f_skatt} onChecked={set('f_skatt')} hint={t('settings.company.fSkattHint')} />
        </div>
        <p className="muted">{t('settings.company.fixed', { currency: company.base_currency, country: company.country })}</p>
      </fieldset>
      <fieldset>
        <legend>{t('settings.company.contact')}</legend>
        <div className="settings-grid">
          {a('line1', t('settings.company.line1'), { autoComplete: 'address-line1' })}
          {a('line2', t('settings.company.line2'), { autoComplete: 'address-line2' })}
          {a('postal_code', t('settings.company.postalCode'), { autoComplete: 'postal-code' })}
          {a('city', t('settings.company.city'), { autoComplete: 'address-level2' })}
          {f('email', t('settings.company.email'), { type: 'email', autoComplete: 'email' })}
          {f('phone', t('settings.company.phone'), { type: 'tel', autoComplete: 'tel' })}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('settings.company.payments')}</legend>
        <div className="settings-grid">
          {f('bankgiro', t('settings.company.bankgiro'))}
          {f('iban', t('settings.company.iban'))}
          {f('bic', t('settings.company.bic'))}
          <SelectField
            label={t('settings.company.paymentReference')} param="payment_reference_kind" error={error}
            value={form.payment_reference_kind} onValue={(v) => set('payment_reference_kind')(v as Company['payment_reference_kind'])}
            options={[{ value: 'ocr', label: t('settings.company.ref.ocr') }, { value: 'rf', label: t('settings.company.ref.rf') }]}
            hint={t('settings.company.paymentReferenceHint')}
          />
          <SelectField
            label={t('settings.company.ocrControl')} param="ocr_control" error={error}
            value={form.ocr_control} onValue={(v) => set('ocr_control')(v as Company['ocr_control'])}
            options={OCR_LEVELS.map((l) => ({ value: l, label: t(`settings.company.ocr.${l}`) }))}
          />
          {form.ocr_control === 'hard_fixed_length' && (
            <Field label={t('settings.company.ocrLengths')} param="ocr_lengths" error={error} value={form.ocr_lengths} onValue={set('ocr_lengths')} hint={t('settings.company.ocrLengthsHint')} inputMode="numeric" />
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('settings.company.rules')}</legend>
        <div className="settings-grid">
          <Field
            label={t('settings.company.creditHold')} param="credit_hold_overdue_days" error={error} value={form.credit_hold_overdue_days}
            onValue={set('credit_hold_overdue_days')} hint={t('settings.company.creditHoldHint')} inputMode="numeric"
          />
          <Field
            label={t('settings.company.reviewWindow')} param="review_window_days" error={error} value={form.review_window_days}
            onValue={set('review_window_days')} hint={t('settings.company.reviewWindowHint')} inputMode="numeric"
          />
          <SelectField
            label={t('settings.company.billingGrouping')} param="billing_grouping" error={error}
            value={form.billing_grouping} onValue={(v) => set('billing_grouping')(v as Company['billing_grouping'])}
            options={[
              { value: 'per_order', label: t('settings.company.grouping.per_order') },
              { value: 'per_customer', label: t('settings.company.grouping.per_customer') },
            ]}
          />
          <CheckField label={t('settings.company.negativeStock')} checked={form.allow_negative_stock} onChecked={set('allow_negative_stock')} />
        </div>
      </fieldset>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('settings.saving') : t('settings.save')}</button>
      </div>
      <Saved show={done}>{t('settings.saved')}</Saved>
    </form>
  );
}
