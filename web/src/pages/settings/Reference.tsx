/**
 * Read-only reference pages: the number series with the number each gives next (invoice numbers must
 * stay gapless, so nobody moves a counter by hand) and the VAT classes, rates and categories.
 */
import { api } from '../../api/client';
import { formatDecimal } from '../../format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/messages';
import { DateText, Empty, Loaded, useLoad } from '../../ui';

export function SeriesSettings() {
  const { t } = useI18n();
  const [series, reload] = useLoad((signal) => api.get('/v1/settings/number-series', { signal }), []);
  return (
    <>
      <h1>{t('settings.series.title')}</h1>
      <div className="settings-notice">
        <p>{t('settings.series.gapless')}</p>
        <p>{t('settings.series.readOnly')}</p>
      </div>
      <Loaded value={series} retry={reload}>
        {(s) =>
          s.data.length === 0 ? (
            <Empty>{t('settings.series.empty')}</Empty>
          ) : (
            <table className="table" data-testid="series-list">
              <caption className="visually-hidden">{t('settings.series.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('settings.series.document')}</th>
                  <th scope="col">{t('settings.series.key')}</th>
                  <th scope="col">{t('settings.series.year')}</th>
                  <th scope="col">{t('settings.series.next')}</th>
                  <th scope="col">{t('settings.series.gaplessCol')}</th>
                </tr>
              </thead>
              <tbody>
                {s.data.map((x) => (
                  <tr key={x.key}>
                    <th scope="row">{t(`settings.series.doc.${x.document}` as MessageKey)}</th>
                    <td><code>{x.key}</code></td>
                    <td>{x.year ?? '–'}</td>
                    <td><code>{x.next_number}</code></td>
                    <td>{x.gapless ? t('settings.series.gaplessYes') : t('settings.no')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </>
  );
}

const CATEGORY_KEYS: Record<string, MessageKey> = {
  S: 'settings.vat.cat.S',
  Z: 'settings.vat.cat.Z',
  E: 'settings.vat.cat.E',
  AE: 'settings.vat.cat.AE',
  K: 'settings.vat.cat.K',
  G: 'settings.vat.cat.G',
  O: 'settings.vat.cat.O',
};

export function VatSettings() {
  const { t, lang } = useI18n();
  const [vat, reload] = useLoad((signal) => api.get('/v1/settings/vat-rates', { signal }), []);
  return (
    <>
      <h1>{t('settings.vat.title')}</h1>
      <p className="muted">{t('settings.vat.intro')}</p>
      <Loaded value={vat} retry={reload}>
        {(v) => (
          <>
            <h2>{t('settings.vat.rates')}</h2>
            <table className="table" data-testid="vat-rates">
              <caption className="visually-hidden">{t('settings.vat.rates')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('settings.vat.class')}</th>
                  <th scope="col" className="num">{t('settings.vat.rate')}</th>
                  <th scope="col">{t('settings.vat.category')}</th>
                  <th scope="col">{t('settings.vat.from')}</th>
                  <th scope="col">{t('settings.vat.to')}</th>
                </tr>
              </thead>
              <tbody>
                {v.data.map((r) => (
                  <tr key={`${r.tax_class}-${r.valid_from}`}>
                    <th scope="row">{t(`settings.vat.class.${r.tax_class}` as MessageKey)}</th>
                    <td className="num">{`${formatDecimal(r.rate, lang)} %`}</td>
                    <td>{r.category}</td>
                    <td><DateText value={r.valid_from} /></td>
                    <td>{r.valid_to === null ? t('settings.vat.untilFurther') : <DateText value={r.valid_to} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>{t('settings.vat.categories')}</h2>
            <dl className="details" data-testid="vat-categories">
              {v.categories.map((c) => (
                <div className="details-group" key={c}>
                  <dt>{c}</dt>
                  <dd>{CATEGORY_KEYS[c] !== undefined ? t(CATEGORY_KEYS[c]) : c}</dd>
                </div>
              ))}
            </dl>
          </>
        )}
      </Loaded>
    </>
  );
}
