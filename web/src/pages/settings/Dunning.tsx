/**
 * Dunning: the reminder levels (days after the due date, the fee of each), the fee cap and the
 * late-payment interest. Finance and admin change it (books.write); the API refuses a fee above
 * the cap naming levels.N.fee, shown beside that fee.
 */
import { useState, type FormEvent } from 'react';
import { api, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session';
import { Loaded, Money, useLoad } from '../../ui';
import { CheckField, Field, FormError, put, Saved, useSubmit } from './shared';

type Settings = Schemas['DunningSettings'];

export function DunningSettings() {
  const { t } = useI18n();
  const { may } = useSession();
  const [settings, reload] = useLoad((signal) => api.get('/v1/dunning/settings', { signal }), []);
  return (
    <>
      <h1>{t('settings.dunning.title')}</h1>
      <p className="muted">{t('settings.dunning.intro')}</p>
      <Loaded value={settings} retry={reload}>
        {(s) => (may('books.write') ? <DunningForm settings={s} /> : <DunningView settings={s} />)}
      </Loaded>
    </>
  );
}

function DunningView({ settings: s }: { settings: Settings }) {
  const { t } = useI18n();
  return (
    <div className="card">
      <p>{s.enabled ? t('settings.dunning.on') : t('settings.dunning.off')}</p>
      <table className="table">
        <caption className="visually-hidden">{t('settings.dunning.levels')}</caption>
        <thead><tr><th scope="col">{t('settings.dunning.level')}</th><th scope="col" className="num">{t('settings.dunning.days')}</th><th scope="col" className="num">{t('settings.dunning.fee')}</th></tr></thead>
        <tbody>
          {s.levels.map((l) => <tr key={l.level}><th scope="row">{l.level}</th><td className="num">{l.days_after_due}</td><td className="num"><Money value={l.fee} /></td></tr>)}
        </tbody>
      </table>
      <dl className="details">
        <dt>{t('settings.dunning.feeCap')}</dt><dd><Money value={s.fee_cap} /></dd>
        <dt>{t('settings.dunning.interest')}</dt><dd>{s.interest.enabled ? t('settings.dunning.interestOn', { margin: s.interest.margin }) : t('settings.no')}</dd>
        <dt>{t('settings.dunning.interestMinimum')}</dt><dd><Money value={s.interest.minimum} /></dd>
      </dl>
    </div>
  );
}

interface Level { days: string; fee: string }

function DunningForm({ settings }: { settings: Settings }) {
  const { t } = useI18n();
  const currency = settings.fee_cap.currency;
  const [enabled, setEnabled] = useState(settings.enabled);
  const [levels, setLevels] = useState<Level[]>(() => settings.levels.map((l) => ({ days: String(l.days_after_due), fee: l.fee.amount })));
  const [feeCap, setFeeCap] = useState(settings.fee_cap.amount);
  const [interest, setInterest] = useState(settings.interest.enabled);
  const [margin, setMargin] = useState(settings.interest.margin);
  const [minimum, setMinimum] = useState(settings.interest.minimum.amount);
  const { busy, error, done, run } = useSubmit();
  const setLevel = (i: number, k: keyof Level) => (v: string) => setLevels((ls) => ls.map((l, j) => (j === i ? { ...l, [k]: v } : l)));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await run(async () => {
      const saved = await put('/v1/dunning/settings', {
        body: {
          enabled,
          levels: levels.map((l) => ({
            days_after_due: /^\d+$/.test(l.days.trim()) ? Number(l.days.trim()) : (l.days as unknown as number),
            ...(l.fee.trim() === '' ? {} : { fee: { amount: l.fee.trim(), currency } }),
          })),
          fee_cap: { amount: feeCap.trim(), currency },
          interest: { enabled: interest, margin: margin.trim(), minimum: { amount: minimum.trim(), currency } },
        },
      });
      setLevels(saved.levels.map((l) => ({ days: String(l.days_after_due), fee: l.fee.amount })));
    });
  };

  return (
    <form className="card settings-form" onSubmit={submit} noValidate data-testid="dunning-form">
      <FormError error={error} fields={['levels', 'fee_cap', 'interest', 'enabled']} />
      <CheckField label={t('settings.dunning.enabled')} checked={enabled} onChecked={setEnabled} />
      <fieldset>
        <legend>{t('settings.dunning.levels')}</legend>
        <ol className="settings-levels">
          {levels.map((l, i) => (
            <li key={i} className="settings-level">
              <Field label={t('settings.dunning.levelDays', { n: i + 1 })} param={`levels.${i}.days_after_due`} error={error} value={l.days} onValue={setLevel(i, 'days')} inputMode="numeric" />
              <Field label={t('settings.dunning.levelFee', { n: i + 1, currency })} param={`levels.${i}.fee`} error={error} value={l.fee} onValue={setLevel(i, 'fee')} inputMode="decimal" />
              <button type="button" className="button settings-small" onClick={() => setLevels((ls) => ls.filter((_, j) => j !== i))}>
                {t('settings.dunning.removeLevel', { n: i + 1 })}
              </button>
            </li>
          ))}
        </ol>
        {error !== null && error.param === 'levels' && <p className="field-error">{error.message}</p>}
        {levels.length < 10 && (
          <button type="button" className="button" onClick={() => setLevels((ls) => [...ls, { days: String(Number(ls[ls.length - 1]?.days ?? 0) + 14), fee: '' }])}>
            {t('settings.dunning.addLevel')}
          </button>
        )}
      </fieldset>
      <div className="settings-grid">
        <Field label={t('settings.dunning.feeCapIn', { currency })} param="fee_cap" error={error} value={feeCap} onValue={setFeeCap} inputMode="decimal" hint={t('settings.dunning.feeCapHint')} />
      </div>
      <fieldset>
        <legend>{t('settings.dunning.interest')}</legend>
        <CheckField label={t('settings.dunning.interestEnabled')} checked={interest} onChecked={setInterest} />
        <div className="settings-grid">
          <Field label={t('settings.dunning.margin')} param="interest.margin" error={error} value={margin} onValue={setMargin} inputMode="decimal" hint={t('settings.dunning.marginHint')} />
          <Field label={t('settings.dunning.interestMinimumIn', { currency })} param="interest.minimum" error={error} value={minimum} onValue={setMinimum} inputMode="decimal" />
        </div>
      </fieldset>
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('settings.saving') : t('settings.save')}</button>
      </div>
      <Saved show={done}>{t('settings.saved')}</Saved>
    </form>
  );
}
