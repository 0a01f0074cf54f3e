/**
 * Payments: a bank file upload (read in the browser with progress, sent base64 as POST /v1/bank-files
 * takes it, then the import's report), the matching workbench (the lines waiting for a person, each
 * with the engine's suggestions and its reasons exactly as the API gives them: apply one, choose the
 * invoices by hand, keep the money as customer credit or ignore the line; matched lines can be
 * undone), the payments with their allocations (apply / unapply), customer credit and refunds (a
 * refund over the approval threshold waits for a second person and says so).
 */
import { useState, type FormEvent } from 'react';
import { api, type RequestOptions, type Schemas } from '../api/client';
import { formatDate, minorUnits } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import { Link, useTitle } from '../router';
import { ListView } from '../list';
import { useSession } from '../session';
import { CursorPaged, DateText, Empty, Loaded, Money, useCursorPages, useLoad } from '../ui';
import { PAGE_SIZE } from './Customers';
import { ActionError, amountOfMinor, digitsOf, FinanceBadge, useAction } from './Invoices';

type Payment = Schemas['Payment'];
type Money = Schemas['Money'];
type ImportReport = { import_id: string; format: string; file_name: string | null; seen_before: boolean; lines: number; new: number; duplicates: number; outgoing: number; auto_applied: number; review: number; unmatched: number };

/** The engine's decision as stored on a bank line (src/app/bank/import-statements.ts decisionJson, resolve-line.ts). */
interface Proposal {
  rule: string;
  score: number;
  customer_id: string;
  allocations: { invoice_id: string; invoice_number: string; amount_minor: string; write_off_minor: string }[];
  unallocated_minor: string;
  reasons: string[];
}
interface Match {
  decision?: 'auto' | 'review' | 'unmatched';
  best?: Proposal | null;
  proposals?: Proposal[];
  payer_customer_id?: string | null;
  resolution?: { action: string; customer_id?: string | null };
  undone?: { payment_id: string; reason: string }[];
}
interface BankLine {
  id: string;
  booking_date: string;
  amount: Money;
  payer_name: string | null;
  payer_account: string | null;
  references: { kind: string; value: string }[];
  text: string | null;
  status: string;
  payment_id: string | null;
  match: unknown;
}
type ResolveBody = NonNullable<RequestOptions<'/v1/bank-transactions/{id}/apply', 'post'>['body']>;
const matchOf = (line: BankLine): Match => (line.match !== null && typeof line.match === 'object' ? (line.match as Match) : {});

const RULES = ['payment_reference', 'invoice_number', 'amount_and_customer', 'subset_sum', 'reference_typo', 'amount_only'];

const isZero = (m: Money) => minorUnits(m.amount, digitsOf(m.amount)) === 0n;

export function Payments() {
  const { t } = useI18n();
  const { may } = useSession();
  useTitle(t('payments.title'));
  const canPay = may('payments.write');
  // bumped after any write, so every list on the page shows the new state
  const [round, setRound] = useState(0);
  const changed = () => setRound((r) => r + 1);
  return (
    <section aria-labelledby="payments-title">
      <div className="page-head">
        <h1 id="payments-title">{t('payments.title')}</h1>
      </div>
      {canPay && <BankFileUpload onImported={changed} />}
      <Workbench round={round} canPay={canPay} onChanged={changed} />
      <MatchedLines round={round} canPay={canPay} onChanged={changed} />
      <PaymentList round={round} />
      <RefundRequests round={round} />
    </section>
  );
}

/** Reads the chosen file with progress, then sends it; the report says what the import did. */
function BankFileUpload({ onImported }: { onImported: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<{ kind: 'idle' } | { kind: 'reading'; loaded: number; total: number } | { kind: 'uploading' }>({ kind: 'idle' });
  const [report, setReport] = useState<ImportReport | null>(null);
  const action = useAction();
  const read = (f: File) =>
    new Promise<string>((resolve, reject) => {
      const reader = new FileReader();
      reader.onprogress = (e) => setPhase({ kind: 'reading', loaded: e.loaded, total: e.lengthComputable ? e.total : f.size });
      reader.onerror = () => reject(reader.error ?? new Error('read failed'));
      // a data: URL is the file base64-encoded after its comma, without a string of the whole binary in between
      reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
      reader.readAsDataURL(f);
    });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (file === null) return;
    setReport(null);
    const r = await action.run(async () => {
      setPhase({ kind: 'reading', loaded: 0, total: file.size });
      const content = await read(file);
      setPhase({ kind: 'uploading' });
      return api.post('/v1/bank-files', { body: { file_name: file.name, content_base64: content } });
    });
    setPhase({ kind: 'idle' });
    if (r) {
      setReport(r as ImportReport);
      onImported();
    }
  };
  return (
    <div className="card">
      <h2>{t('bank.upload')}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <p className="muted">{t('bank.formats')}</p>
        <ActionError error={action.error} />
        <div className="field">
          <label htmlFor="bank-file">{t('bank.file')}</label>
          <input id="bank-file" type="file" accept=".txt,.xml,.sta,.csv,.mt940" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </div>
        {phase.kind === 'reading' && (
          <p role="status">
            <label htmlFor="bank-progress">{t('bank.reading')}</label>{' '}
            <progress id="bank-progress" max={phase.total || 1} value={phase.loaded} />
          </p>
        )}
        {phase.kind === 'uploading' && (
          <p role="status">
            <label htmlFor="bank-progress">{t('bank.uploading')}</label>{' '}
            <progress id="bank-progress" />
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={file === null || action.busy} data-write="true">{t('bank.import')}</button>
        </div>
      </form>
      {report && (
        <div data-testid="import-report" role="status">
          <h3>{t('bank.reportTitle', { file: report.file_name ?? '', format: report.format })}</h3>
          {report.seen_before && <p className="warn">{t('bank.seenBefore')}</p>}
          <dl className="figures figures-small">
            <div><dt>{t('bank.lines')}</dt><dd>{report.lines}</dd></div>
            <div><dt>{t('bank.new')}</dt><dd>{report.new}</dd></div>
            <div><dt>{t('bank.duplicates')}</dt><dd>{report.duplicates}</dd></div>
            <div><dt>{t('bank.autoApplied')}</dt><dd data-testid="report-auto">{report.auto_applied}</dd></div>
            <div><dt>{t('bank.review')}</dt><dd data-testid="report-review">{report.review}</dd></div>
            <div><dt>{t('bank.unmatched')}</dt><dd>{report.unmatched}</dd></div>
            <div><dt>{t('bank.outgoing')}</dt><dd>{report.outgoing}</dd></div>
          </dl>
        </div>
      )}
    </div>
  );
}

function Workbench({ round, canPay, onChanged }: { round: number; canPay: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const pages = useCursorPages('workbench');
  const [list, reload] = useLoad(
    (signal) => api.get('/v1/bank-transactions', { query: { status: 'unmatched', limit: PAGE_SIZE, ...(pages.after ? { starting_after: pages.after } : {}) }, signal }),
    [pages.after, round],
  );
  return (
    <section className="workbench" aria-labelledby="workbench-title">
      <h2 id="workbench-title">{t('bank.workbench')}</h2>
      <CursorPaged value={list} retry={reload} pages={pages} empty={t('bank.nothingToReview')}>
        {(rows) => (
          <>
            <ul className="bank-lines">
              {(rows as BankLine[]).map((line) => <WorkbenchLine key={line.id} line={line} canPay={canPay} onChanged={onChanged} />)}
            </ul>
          </>
        )}
      </CursorPaged>
    </section>
  );
}

function LineFacts({ line }: { line: BankLine }) {
  const { t } = useI18n();
  return (
    <dl className="details">
      <dt>{t('bank.bookingDate')}</dt><dd><DateText value={line.booking_date} /></dd>
      <dt>{t('bank.payer')}</dt><dd>{[line.payer_name, line.payer_account].filter(Boolean).join(', ') || '–'}</dd>
      <dt>{t('bank.references')}</dt><dd>{line.references.map((r) => r.value).join(', ') || '–'}</dd>
      {line.text && <><dt>{t('bank.text')}</dt><dd>{line.text}</dd></>}
    </dl>
  );
}

function WorkbenchLine({ line, canPay, onChanged }: { line: BankLine; canPay: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const match = matchOf(line);
  const proposals = match.proposals ?? [];
  const action = useAction();
  const [mode, setMode] = useState<'none' | 'choose' | 'ignore'>('none');
  const [reason, setReason] = useState('');
  const digits = digitsOf(line.amount.amount);
  const knownCustomer = match.payer_customer_id ?? match.best?.customer_id ?? null;
  const resolve = async (body: ResolveBody) => {
    const r = await action.run(() => api.post('/v1/bank-transactions/{id}/apply', { path: { id: line.id }, body }));
    if (r) onChanged();
  };
  const applyProposal = (p: Proposal) =>
    resolve({
      action: 'apply',
      allocations: p.allocations.map((a) => ({
        invoice_id: a.invoice_id,
        amount: amountOfMinor(a.amount_minor, digits),
        ...(a.write_off_minor !== '0' ? { write_off: true } : {}),
      })),
    });
  const titleId = `line-${line.id}`;
  return (
    <li className="card bank-line" aria-labelledby={titleId} data-testid="workbench-line">
      <div className="page-head">
        <h3 id={titleId}>
          <Money value={line.amount} /> · {line.payer_name ?? t('bank.unknownPayer')}
        </h3>
        <span className="badge">{t(`bank.decision.${match.decision ?? 'unmatched'}` as MessageKey)}</span>
      </div>
      <LineFacts line={line} />
      {(match.undone ?? []).length > 0 && <p className="muted">{t('bank.wasUndone', { reason: (match.undone ?? []).map((u) => u.reason).join('; ') })}</p>}
      {proposals.length === 0 ? (
        <p className="muted">{t('bank.noSuggestion')}</p>
      ) : (
        <ol className="proposals">
          {proposals.map((p, i) => (
            <li key={i} className="proposal" data-testid="proposal">
              <p>
                <strong>{RULES.includes(p.rule) ? t(`bank.rule.${p.rule}` as MessageKey) : p.rule}</strong>{' '}
                <span className="muted">{t('bank.score', { score: p.score })}</span>
              </p>
              <ul>
                {p.allocations.map((a) => (
                  <li key={a.invoice_id}>
                    <Link to={`/invoices/${encodeURIComponent(a.invoice_id)}`}>{t('invoices.invoice')} {a.invoice_number}</Link>:{' '}
                    <Money value={{ amount: amountOfMinor(a.amount_minor, digits), currency: line.amount.currency }} />
                    {a.write_off_minor !== '0' && <> ({t('bank.writeOff')} <Money value={{ amount: amountOfMinor(a.write_off_minor, digits), currency: line.amount.currency }} />)</>}
                  </li>
                ))}
              </ul>
              <ul className="reasons" aria-label={t('bank.reasons')}>
                {p.reasons.map((r, j) => <li key={j}>{r}</li>)}
              </ul>
              {canPay && (
                <button type="button" className="button button-primary" onClick={() => void applyProposal(p)} disabled={action.busy} data-write="true">
                  {t('bank.applySuggestion')}
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
      <ActionError error={action.error} />
      {canPay && (
        <div className="actions">
          <button type="button" className="button" aria-expanded={mode === 'choose'} onClick={() => setMode(mode === 'choose' ? 'none' : 'choose')} data-write="true">{t('bank.choose')}</button>
          {knownCustomer !== null && (
            <button type="button" className="button" onClick={() => void resolve({ action: 'credit', customer_id: knownCustomer })} disabled={action.busy} data-write="true">{t('bank.keepCredit')}</button>
          )}
          <button type="button" className="button" aria-expanded={mode === 'ignore'} onClick={() => setMode(mode === 'ignore' ? 'none' : 'ignore')} data-write="true">{t('bank.ignore')}</button>
        </div>
      )}
      {mode === 'choose' && (
        <InvoiceChooser
          currency={line.amount.currency}
          initialCustomer={knownCustomer}
          idPrefix={line.id}
          busy={action.busy}
          onApply={(allocations) => void resolve({ action: 'apply', allocations })}
        />
      )}
      {mode === 'ignore' && (
        <form className="form" onSubmit={(e) => { e.preventDefault(); void resolve({ action: 'ignore', reason }); }} noValidate>
          <div className="field">
            <label htmlFor={`ignore-${line.id}`}>{t('bank.ignoreReason')}</label>
            <input id={`ignore-${line.id}`} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <button type="submit" className="button" disabled={action.busy}>{t('bank.ignoreConfirm')}</button>
        </form>
      )}
    </li>
  );
}

/**
 * Choose invoices by hand: a customer, then its open invoices with the amount to apply to each
 * (empty: as much as the line and the invoice allow, the API's default).
 */
function InvoiceChooser({ currency, initialCustomer, idPrefix, busy, onApply }: { currency: string; initialCustomer: string | null; idPrefix: string; busy: boolean; onApply: (a: { invoice_id: string; amount?: string }[]) => void }) {
  const { t } = useI18n();
  const [customerId, setCustomerId] = useState(initialCustomer ?? '');
  const [customers] = useLoad((signal) => api.get('/v1/customers', { query: { limit: 100 }, signal }), []);
  const [invoices] = useLoad(
    async (signal) => (customerId === '' ? null : api.get('/v1/invoices', { query: { customer_id: customerId, limit: 100 }, signal })),
    [customerId],
  );
  const [chosen, setChosen] = useState<Record<string, string | null>>({});
  const allocations = Object.entries(chosen)
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([invoice_id, amount]) => (amount.trim() === '' ? { invoice_id } : { invoice_id, amount: amount.trim() }));
  return (
    <form className="form" onSubmit={(e) => { e.preventDefault(); onApply(allocations); }} noValidate>
      <div className="field">
        <label htmlFor={`choose-customer-${idPrefix}`}>{t('bank.customer')}</label>
        <Loaded value={customers}>
          {(c) => (
            <select id={`choose-customer-${idPrefix}`} value={customerId} onChange={(e) => { setCustomerId(e.target.value); setChosen({}); }}>
              <option value="">{t('bank.pickCustomer')}</option>
              {c.data.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
            </select>
          )}
        </Loaded>
      </div>
      <Loaded value={invoices}>
        {(l) => {
          if (l === null) return null;
          const open = l.data.filter((i) => i.status === 'issued' && i.currency === currency && !isZero(i.amount_due));
          if (open.length === 0) return <p className="muted">{t('bank.noOpenInvoices', { currency })}</p>;
          return (
            <fieldset>
              <legend>{t('bank.openInvoices')}</legend>
              {open.map((i) => (
                <div className="field field-check" key={i.id}>
                  <input
                    id={`choose-${idPrefix}-${i.id}`}
                    type="checkbox"
                    checked={chosen[i.id] != null}
                    onChange={(e) => setChosen((c) => ({ ...c, [i.id]: e.target.checked ? '' : null }))}
                  />
                  <label htmlFor={`choose-${idPrefix}-${i.id}`}>
                    {i.number} · {t('invoices.amountDue')} <Money value={i.amount_due} />
                  </label>
                  {chosen[i.id] != null && (
                    <input
                      aria-label={t('bank.amountFor', { invoice: i.number ?? i.id })}
                      inputMode="decimal"
                      placeholder={i.amount_due.amount}
                      value={chosen[i.id] ?? ''}
                      onChange={(e) => setChosen((c) => ({ ...c, [i.id]: e.target.value }))}
                    />
                  )}
                </div>
              ))}
            </fieldset>
          );
        }}
      </Loaded>
      <button type="submit" className="button button-primary" disabled={busy || allocations.length === 0}>{t('bank.applyChosen')}</button>
    </form>
  );
}

/** Lines already settled (automatically or by a person): a wrong match is undone with a reason. */
function MatchedLines({ round, canPay, onChanged }: { round: number; canPay: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const pages = useCursorPages('matched');
  const [list, reload] = useLoad(
    (signal) => api.get('/v1/bank-transactions', { query: { status: 'applied', limit: PAGE_SIZE, ...(pages.after ? { starting_after: pages.after } : {}) }, signal }),
    [pages.after, round],
  );
  return (
    <>
      <h2>{t('bank.matched')}</h2>
      <CursorPaged value={list} retry={reload} pages={pages} empty={t('bank.noneMatched')}>
        {(rows) => (
          <>
            <table className="table" data-testid="matched-lines">
              <caption className="visually-hidden">{t('bank.matched')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('bank.bookingDate')}</th>
                  <th scope="col">{t('bank.payer')}</th>
                  <th scope="col">{t('bank.references')}</th>
                  <th scope="col">{t('bank.how')}</th>
                  <th scope="col" className="num">{t('bank.amount')}</th>
                  <th scope="col"><span className="visually-hidden">{t('credit.actions')}</span></th>
                </tr>
              </thead>
              <tbody>
                {(rows as BankLine[]).map((line) => <MatchedRow key={line.id} line={line} canPay={canPay} onChanged={onChanged} />)}
              </tbody>
            </table>
          </>
        )}
      </CursorPaged>
    </>
  );
}

function MatchedRow({ line, canPay, onChanged }: { line: BankLine; canPay: boolean; onChanged: () => void }) {
  const { t } = useI18n();
  const match = matchOf(line);
  const [undoing, setUndoing] = useState(false);
  const [reason, setReason] = useState('');
  const action = useAction();
  const undo = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() => api.post('/v1/bank-transactions/{id}/undo', { path: { id: line.id }, body: { reason } }));
    if (r) onChanged();
  };
  const how = match.resolution ? t('bank.byPerson') : t('bank.automatic');
  return (
    <tr>
      <td><DateText value={line.booking_date} /></td>
      <td>{line.payer_name ?? '–'}</td>
      <td>{line.references.map((r) => r.value).join(', ') || '–'}</td>
      <td>{how}{line.payment_id && <> · <Link to={`/payments/${encodeURIComponent(line.payment_id)}`}>{t('payments.payment')}</Link></>}</td>
      <td className="num"><Money value={line.amount} /></td>
      <td>
        {canPay && !undoing && <button type="button" className="button" onClick={() => setUndoing(true)} data-write="true">{t('bank.undo')}</button>}
        {undoing && (
          <form onSubmit={undo} noValidate>
            <label htmlFor={`undo-${line.id}`}>{t('bank.undoReason')}</label>{' '}
            <input id={`undo-${line.id}`} value={reason} onChange={(e) => setReason(e.target.value)} />{' '}
            <button type="submit" className="button" disabled={action.busy}>{t('bank.undoConfirm')}</button>
            <ActionError error={action.error} />
          </form>
        )}
      </td>
    </tr>
  );
}

function PaymentList({ round }: { round: number }) {
  const { t } = useI18n();
  return (
    <>
      <h2>{t('payments.list')}</h2>
      {/* a new key after a payment is received or applied: the list loads again */}
      <ListView
        key={round}
        path="/v1/payments"
        caption={t('payments.list')}
        testId="payment-list"
        empty={t('payments.empty')}
        rowKey={(p) => p.id}
        columns={[
          { header: t('payments.receivedOn'), sort: 'date', cell: (p) => <Link to={`/payments/${encodeURIComponent(p.id)}`}><DateText value={p.received_on} /></Link> },
          { header: t('bank.payer'), cell: (p) => p.payer_name ?? '–' },
          { header: t('invoices.status'), cell: (p) => <FinanceBadge status={p.status} /> },
          { header: t('bank.amount'), sort: 'amount', numeric: true, cell: (p) => <Money value={p.amount} /> },
          { header: t('payments.unapplied'), numeric: true, cell: (p) => <Money value={p.unapplied_amount} /> },
        ]}
      />
    </>
  );
}

/** Refunds over the approval threshold, waiting for a second finance user. */
function RefundRequests({ round }: { round: number }) {
  const { t } = useI18n();
  const [list, reload] = useLoad((signal) => api.get('/v1/refund-requests', { query: { status: 'pending', limit: 100 }, signal }), [round]);
  return (
    <>
      <h2>{t('refunds.pending')}</h2>
      <Loaded value={list} retry={reload}>
        {(l) =>
          l.data.length === 0 ? (
            <Empty>{t('refunds.nonePending')}</Empty>
          ) : (
            <table className="table">
              <caption className="visually-hidden">{t('refunds.pending')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('payments.payment')}</th>
                  <th scope="col">{t('refunds.reference')}</th>
                  <th scope="col">{t('invoices.status')}</th>
                  <th scope="col" className="num">{t('bank.amount')}</th>
                </tr>
              </thead>
              <tbody>
                {l.data.map((r) => (
                  <tr key={r.id}>
                    <td><Link to={`/payments/${encodeURIComponent(r.payment_id)}`}>{r.payment_id}</Link></td>
                    <td>{r.reference}</td>
                    <td>{r.status === 'pending' ? t('refunds.awaitingApproval') : <FinanceBadge status={r.status} />}</td>
                    <td className="num"><Money value={r.amount} /></td>
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

export function PaymentDetail({ id }: { id: string }) {
  const { t } = useI18n();
  const { may } = useSession();
  const [round, setRound] = useState(0);
  // kept here, not in the form: the payment reloads (and the form remounts) after every write
  const [notice, setNotice] = useState<string | null>(null);
  const [payment, reload] = useLoad((signal) => api.get('/v1/payments/{id}', { path: { id }, signal }), [id, round]);
  useTitle(t('payments.payment'));
  const changed = (message?: string) => {
    setNotice(message ?? null);
    setRound((r) => r + 1);
  };
  return (
    <section aria-labelledby="payment-title">
      <p><Link to="/payments">← {t('payments.back')}</Link></p>
      {notice && <p role="status" className="hint" data-testid="payment-notice">{notice}</p>}
      <Loaded value={payment} retry={reload}>
        {(p) => <PaymentView payment={p} canPay={may('payments.write')} onChanged={changed} />}
      </Loaded>
    </section>
  );
}

function PaymentView({ payment: p, canPay, onChanged }: { payment: Payment; canPay: boolean; onChanged: (notice?: string) => void }) {
  const { t, lang } = useI18n();
  const action = useAction();
  const inForce = p.allocations.filter((a) => a.reversed_at === null);
  const unapply = async (allocationId: string) => {
    const r = await action.run(() => api.post('/v1/payments/{id}/unapply', { path: { id: p.id }, body: { allocation_ids: [allocationId] } }));
    if (r) onChanged(t('payments.unapplyDone'));
  };
  const apply = async (allocations: { invoice_id: string; amount?: string }[]) => {
    const r = await action.run(() => api.post('/v1/payments/{id}/apply', { path: { id: p.id }, body: { allocations } }));
    if (r) onChanged(t('payments.applyDone'));
  };
  const hasCredit = !isZero(p.unapplied_amount) && p.status === 'received';
  return (
    <>
      <div className="page-head">
        <h1 id="payment-title">{t('payments.payment')} <Money value={p.amount} /></h1>
      </div>
      <div className="grid">
        <div className="card">
          <dl className="details">
            <dt>{t('invoices.status')}</dt><dd><FinanceBadge status={p.status} /></dd>
            <dt>{t('payments.receivedOn')}</dt><dd><DateText value={p.received_on} /></dd>
            <dt>{t('bank.payer')}</dt><dd>{[p.payer_name, p.payer_account].filter(Boolean).join(', ') || '–'}</dd>
            <dt>{t('bank.references')}</dt><dd>{p.reference_text ?? '–'}</dd>
            <dt>{t('invoices.customer')}</dt><dd>{p.customer_id ? <Link to={`/customers/${encodeURIComponent(p.customer_id)}`}>{t('payments.toCustomer')}</Link> : '–'}</dd>
            {p.return_reason && <><dt>{t('payments.returned')}</dt><dd>{p.return_reason}</dd></>}
          </dl>
        </div>
        <div className="card">
          <dl className="details">
            <dt>{t('bank.amount')}</dt><dd><Money value={p.amount} /></dd>
            <dt>{t('payments.credit')}</dt><dd data-testid="payment-unapplied"><strong><Money value={p.unapplied_amount} /></strong></dd>
          </dl>
        </div>
      </div>
      <ActionError error={action.error} />
      <h2>{t('payments.allocations')}</h2>
      {p.allocations.length === 0 ? (
        <Empty>{t('payments.noAllocations')}</Empty>
      ) : (
        <table className="table" data-testid="allocations">
          <caption className="visually-hidden">{t('payments.allocations')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('invoices.invoice')}</th>
              <th scope="col">{t('payments.appliedOn')}</th>
              <th scope="col" className="num">{t('bank.amount')}</th>
              <th scope="col">{t('invoices.status')}</th>
              <th scope="col"><span className="visually-hidden">{t('credit.actions')}</span></th>
            </tr>
          </thead>
          <tbody>
            {p.allocations.map((a) => (
              <tr key={a.id}>
                <td><Link to={`/invoices/${encodeURIComponent(a.invoice_id)}`}>{t('payments.openInvoice')}</Link></td>
                <td><DateText value={a.applied_on} /></td>
                <td className="num"><Money value={a.amount} /></td>
                <td>{a.reversed_at === null ? t('payments.inForce') : t('payments.unappliedOn', { date: a.reversed_on ? formatDate(a.reversed_on, lang) : '' })}</td>
                <td>
                  {canPay && a.reversed_at === null && (
                    <button type="button" className="button" onClick={() => void unapply(a.id)} disabled={action.busy} data-write="true">{t('payments.unapply')}</button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {inForce.length > 0 && <p className="muted">{t('payments.unapplyHelp')}</p>}
      {canPay && hasCredit && p.customer_id !== null && (
        <div className="card">
          <h2>{t('payments.applyCredit')}</h2>
          <InvoiceChooser currency={p.amount.currency} initialCustomer={p.customer_id} idPrefix={p.id} busy={action.busy} onApply={(a) => void apply(a)} />
        </div>
      )}
      {canPay && hasCredit && <RefundForm payment={p} onDone={onChanged} />}
      {p.refunds.length > 0 && (
        <>
          <h2>{t('refunds.title')}</h2>
          <table className="table">
            <caption className="visually-hidden">{t('refunds.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('refunds.date')}</th>
                <th scope="col">{t('refunds.reference')}</th>
                <th scope="col" className="num">{t('bank.amount')}</th>
              </tr>
            </thead>
            <tbody>
              {p.refunds.map((r) => (
                <tr key={r.id}>
                  <td><DateText value={r.refunded_on} /></td>
                  <td>{r.reference}</td>
                  <td className="num"><Money value={r.amount} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </>
  );
}

/** Pays customer credit back; over the approval threshold the API answers with a request instead. */
function RefundForm({ payment, onDone }: { payment: Payment; onDone: (notice: string) => void }) {
  const { t } = useI18n();
  const [amount, setAmount] = useState(payment.unapplied_amount.amount);
  const [reference, setReference] = useState('');
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await action.run(() => api.post('/v1/payments/{id}/refunds', { path: { id: payment.id }, body: { amount: { amount, currency: payment.amount.currency }, reference } }));
    if (r) onDone((r as { object?: string }).object === 'refund_request' ? t('refunds.awaitingApproval') : t('refunds.paid'));
  };
  const err = (param: string) => (action.error?.param === param ? true : undefined);
  return (
    <div className="card">
      <h2>{t('refunds.new')}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <ActionError error={action.error} />
        <div className="field">
          <label htmlFor="refund-amount">{t('bank.amount')} ({payment.amount.currency})</label>
          <input id="refund-amount" inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} aria-invalid={err('amount.amount')} />
        </div>
        <div className="field">
          <label htmlFor="refund-reference">{t('refunds.reference')}</label>
          <input id="refund-reference" value={reference} onChange={(e) => setReference(e.target.value)} aria-invalid={err('reference')} />
        </div>
        <button type="submit" className="button button-primary" disabled={action.busy} data-write="true">{t('refunds.submit')}</button>
      </form>
    </div>
  );
}
