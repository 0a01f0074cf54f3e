/**
 * Webhooks (admin): the endpoints q2c posts events to; a new endpoint's signing secret is shown once;
 * an endpoint's page edits its URL, events and active flag and lists its deliveries with their
 * status, each of which can be sent again.
 */
import { useState, type FormEvent } from 'react';
import { api, type ApiError, type Schemas } from '../../api/client';
import { useI18n } from '../../i18n/i18n';
import { Link } from '../../router';
import { CursorPaged, DateText, Loaded, useCursorPages, useLoad } from '../../ui';
import { WEBHOOK_EVENT_TYPES as EVENT_TYPES } from '../../webhook-events';
import { CheckField, Field, FormError, names, orNull, Saved, ShownOnce, useSubmit } from './shared';

type Endpoint = Schemas['WebhookEndpoint'];
type Delivery = Schemas['WebhookDelivery'];


const PAGE = 25;

export function WebhooksSettings() {
  const { t } = useI18n();
  const pages = useCursorPages('endpoints');
  const [list, reload] = useLoad(
    (signal) => api.get('/v1/webhook-endpoints', { query: { limit: PAGE, ...(pages.after !== undefined ? { starting_after: pages.after } : {}) }, signal }),
    [pages.after],
  );
  const [created, setCreated] = useState<Endpoint | null>(null);
  return (
    <>
      <h1>{t('settings.webhooks.title')}</h1>
      <p className="muted">{t('settings.webhooks.intro')}</p>
      {created?.secret !== undefined && (
        <>
          <p role="status">{t('settings.webhooks.created', { url: created.url })} <Link to={`/settings/webhooks/${encodeURIComponent(created.id)}`}>{t('settings.webhooks.open')}</Link></p>
          <ShownOnce label={t('settings.webhooks.secret')} value={created.secret} warning={t('settings.webhooks.secretOnce')} testId="webhook-secret" />
        </>
      )}
      <h2>{t('settings.webhooks.list')}</h2>
      <CursorPaged value={list} retry={reload} pages={pages} empty={t('settings.webhooks.empty')}>
        {(rows) => (
          <>
            <table className="table" data-testid="webhook-list">
              <caption className="visually-hidden">{t('settings.webhooks.list')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('settings.webhooks.url')}</th>
                  <th scope="col">{t('settings.webhooks.events')}</th>
                  <th scope="col">{t('settings.webhooks.state')}</th>
                  <th scope="col" className="num">{t('settings.webhooks.failures')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((e) => (
                  <tr key={e.id}>
                    <th scope="row"><Link to={`/settings/webhooks/${encodeURIComponent(e.id)}`}>{e.url}</Link>{e.description ? <span className="muted"> · {e.description}</span> : null}</th>
                    <td>{e.event_types.includes('*') ? t('settings.webhooks.allEvents') : e.event_types.join(', ')}</td>
                    <td><EndpointState endpoint={e} /></td>
                    <td className="num">{e.consecutive_failures}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </CursorPaged>
      <NewEndpoint onCreating={() => setCreated(null)} onCreated={(e) => { setCreated(e); reload(); }} />
    </>
  );
}

function EndpointState({ endpoint: e }: { endpoint: Endpoint }) {
  const { t } = useI18n();
  if (e.enabled) return <>{t('settings.active')}</>;
  return <>{t('settings.webhooks.disabled')}{e.disabled_reason ? ` (${e.disabled_reason})` : ''}</>;
}

/** Checkboxes of the event types; "all" stands for "*". */
function EventPicker({ value, onValue, error }: { value: string[]; onValue: (v: string[]) => void; error: ApiError | null }) {
  const { t } = useI18n();
  const all = value.includes('*');
  const toggle = (type: string, on: boolean) => onValue(on ? [...value.filter((x) => x !== type), type] : value.filter((x) => x !== type));
  const err = names(error, 'event_types') ? error : null;
  return (
    <fieldset className="settings-events" aria-describedby={err ? 'event-types-error' : undefined}>
      <legend>{t('settings.webhooks.events')}</legend>
      <CheckField label={t('settings.webhooks.allEvents')} checked={all} onChecked={(on) => onValue(on ? ['*'] : [])} />
      {!all && (
        <ul className="settings-event-list">
          {EVENT_TYPES.map((type) => (
            <li key={type}>
              <label><input type="checkbox" checked={value.includes(type)} onChange={(e) => toggle(type, e.target.checked)} /> <code>{type}</code></label>
            </li>
          ))}
        </ul>
      )}
      {err && <p className="field-error" id="event-types-error">{err.message}</p>}
    </fieldset>
  );
}

function NewEndpoint({ onCreating, onCreated }: { onCreating: () => void; onCreated: (e: Endpoint) => void }) {
  const { t } = useI18n();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<string[]>([]);
  const { busy, error, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    onCreating();
    let created: Endpoint | null = null;
    const ok = await run(async () => { created = await api.post('/v1/webhook-endpoints', { body: { url: url.trim(), description: orNull(description), event_types: events } }); });
    if (ok && created !== null) {
      setUrl('');
      setDescription('');
      setEvents([]);
      onCreated(created);
      window.scrollTo(0, 0);
    }
  };
  return (
    <form className="card settings-form" onSubmit={submit} noValidate aria-labelledby="new-endpoint-title" data-testid="new-webhook">
      <h2 id="new-endpoint-title">{t('settings.webhooks.new')}</h2>
      <FormError error={error} fields={['url', 'description', 'event_types']} />
      <div className="settings-grid">
        <Field label={t('settings.webhooks.url')} param="url" error={error} value={url} onValue={setUrl} type="url" required placeholder="https://" hint={t('settings.webhooks.urlHint')} />
        <Field label={t('settings.webhooks.description')} param="description" error={error} value={description} onValue={setDescription} />
      </div>
      <EventPicker value={events} onValue={setEvents} error={error} />
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('settings.saving') : t('settings.webhooks.create')}</button>
      </div>
    </form>
  );
}

export function WebhookDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const [endpoint, reload] = useLoad((signal) => api.get('/v1/webhook-endpoints/{id}', { path: { id }, signal }), [id]);
  return (
    <>
      <p><Link to="/settings/webhooks">← {t('settings.webhooks.back')}</Link></p>
      <Loaded value={endpoint} retry={reload}>
        {(e) => (
          <>
            <h1>{t('settings.webhooks.endpoint')}: {e.url}</h1>
            <p><EndpointState endpoint={e} /> · {t('settings.webhooks.failuresN', { n: e.consecutive_failures })}</p>
            <EditEndpoint key={e.updated_at} endpoint={e} onSaved={reload} />
            <h2>{t('settings.webhooks.deliveries')}</h2>
            <Deliveries endpointId={e.id} />
          </>
        )}
      </Loaded>
    </>
  );
}

function EditEndpoint({ endpoint, onSaved }: { endpoint: Endpoint; onSaved: () => void }) {
  const { t } = useI18n();
  const [url, setUrl] = useState(endpoint.url);
  const [description, setDescription] = useState(endpoint.description ?? '');
  const [events, setEvents] = useState<string[]>(endpoint.event_types);
  const [enabled, setEnabled] = useState(endpoint.enabled);
  const { busy, error, done, run } = useSubmit();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() => api.patch('/v1/webhook-endpoints/{id}', { path: { id: endpoint.id }, body: { url: url.trim(), description: orNull(description), event_types: events, enabled } }));
    if (ok) onSaved();
  };
  return (
    <form className="card settings-form" onSubmit={submit} noValidate aria-labelledby="edit-endpoint-title">
      <h2 id="edit-endpoint-title">{t('settings.webhooks.edit')}</h2>
      <FormError error={error} fields={['url', 'description', 'event_types', 'enabled']} />
      <div className="settings-grid">
        <Field label={t('settings.webhooks.url')} param="url" error={error} value={url} onValue={setUrl} type="url" required />
        <Field label={t('settings.webhooks.description')} param="description" error={error} value={description} onValue={setDescription} />
      </div>
      <CheckField label={t('settings.webhooks.enabled')} checked={enabled} onChecked={setEnabled} hint={t('settings.webhooks.enabledHint')} />
      <EventPicker value={events} onValue={setEvents} error={error} />
      {names(error, 'enabled') && <p className="field-error">{error?.message}</p>}
      <div className="actions">
        <button type="submit" className="button button-primary" disabled={busy}>{busy ? t('settings.saving') : t('settings.save')}</button>
      </div>
      <Saved show={done}>{t('settings.saved')}</Saved>
    </form>
  );
}

function Deliveries({ endpointId }: { endpointId: string }) {
  const { t } = useI18n();
  const pages = useCursorPages(endpointId);
  const [list, reload] = useLoad(
    (signal) => api.get('/v1/webhook-endpoints/{id}/deliveries', { path: { id: endpointId }, query: { limit: PAGE, ...(pages.after !== undefined ? { starting_after: pages.after } : {}) }, signal }),
    [endpointId, pages.after],
  );
  const [status, setStatus] = useState('');
  return (
    <>
      <p className="settings-saved" role="status" aria-live="polite">{status}</p>
      <CursorPaged value={list} retry={reload} pages={pages} empty={t('settings.webhooks.noDeliveries')}>
        {(rows) => (
          <>
            <table className="table" data-testid="webhook-deliveries">
              <caption className="visually-hidden">{t('settings.webhooks.deliveries')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('settings.webhooks.event')}</th>
                  <th scope="col">{t('settings.webhooks.deliveryStatus')}</th>
                  <th scope="col" className="num">{t('settings.webhooks.attempts')}</th>
                  <th scope="col">{t('settings.webhooks.lastResult')}</th>
                  <th scope="col">{t('settings.webhooks.when')}</th>
                  <th scope="col">{t('settings.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((d) => <DeliveryRow key={d.id} delivery={d} onRedelivered={() => { setStatus(t('settings.webhooks.redelivered', { event: d.event_type })); reload(); }} />)}
              </tbody>
            </table>
          </>
        )}
      </CursorPaged>
    </>
  );
}

function DeliveryRow({ delivery: d, onRedelivered }: { delivery: Delivery; onRedelivered: () => void }) {
  const { t } = useI18n();
  const { busy, error, run } = useSubmit();
  const statusKey = d.status === 'delivered' ? 'settings.webhooks.status.delivered' : d.status === 'failed' ? 'settings.webhooks.status.failed' : 'settings.webhooks.status.pending';
  return (
    <tr>
      <th scope="row"><code>{d.event_type}</code></th>
      <td><span className={`badge badge-delivery-${d.status}`}>{t(statusKey)}</span></td>
      <td className="num">{d.attempts}</td>
      <td>{d.last_status_code !== null ? `HTTP ${d.last_status_code}` : ''}{d.last_error ? ` ${d.last_error}` : ''}{d.last_status_code === null && !d.last_error ? '–' : ''}</td>
      <td><DateText value={d.delivered_at ?? d.created_at} /></td>
      <td>
        <button type="button" className="button settings-small" disabled={busy} onClick={() => void run(() => api.post('/v1/webhook-deliveries/{id}/redeliver', { path: { id: d.id } })).then((ok) => ok && onRedelivered())}>
          {t('settings.webhooks.redeliver')}<span className="visually-hidden"> {d.event_type}</span>
        </button>
        {error && <p className="field-error" role="alert">{error.message}</p>}
      </td>
    </tr>
  );
}
