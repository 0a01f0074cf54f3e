/**
 * Sending a quote e-mails the customer the PDF, through the transactional outbox: the event is
 * written in the send's transaction and delivered by dispatchOutbox to a real (in-process) SMTP
 * server. Nothing reaches the server before dispatch, nothing at all when the send rolls back, and
 * nothing twice. Failed deliveries back off (1 min, 2, 4 …) and are given up after 10 attempts.
 * Without SMTP the mailer writes .eml files.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  dispatchOutbox,
  MAX_ATTEMPTS,
  retryDelayMs,
  type OutboxDispatchDeps,
  type OutboxHandler,
} from '../../src/app/outbox/dispatch.js';
import { sendQuote } from '../../src/app/quotes/send-quote.js';
import type { Clock } from '../../src/app/ports.js';
import { envFor } from '../../src/app/shared/env.js';
import { asId } from '../../src/core/shared/ids.js';
import { outboxDispatchDb } from '../../src/db/repositories/outbox-dispatch.js';
import { createMailer } from '../../src/integrations/email/mailer.js';
import { quoteEmailContent, quoteSentEmailHandler } from '../../src/integrations/email/quote-email.js';
import { startOutboxWorker } from '../../src/main/worker.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp, type TestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { mimePart, useSmtpMailer } from '../support/smtp.js';

/** The base64 body of the MIME part with this content type, decoded. */
function attachment(raw: string, contentType: string): { headers: string; content: Buffer } {
  const part = mimePart(raw, contentType);
  expect(part.headers).toMatch(/Content-Transfer-Encoding: base64/i);
  return part;
}

const mutableClock = (start: Date): Clock & { set(d: Date): void } => {
  let now = start;
  return { now: () => now, today: () => now.toISOString().slice(0, 10) as ReturnType<Clock['today']>, set: (d) => (now = d) };
};

const { smtp, mailer } = useSmtpMailer('offert@testbolaget.example');

describe.each(TEST_DATABASES)('quote e-mail through the outbox [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);
  const deps = (tt: TestApp): OutboxDispatchDeps => ({
    ...outboxDispatchDb(tt.kysely),
    clock: tt.deps.clock,
    handlers: [quoteSentEmailHandler({ db: tt.db, mailer })],
  });
  const draftQuote = async (customer: { email?: string; country: string; name: string }) => {
    const c = await ok('POST', '/v1/customers', { ...customer, currency: 'SEK' });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: c.id,
      // hours of consulting for a consumer: Swedish VAT wherever the customer lives (services, general rule)
      lines: [{ description: 'Consulting', quantity: '10', unit: 'HUR', unit_price: '1000.00', tax_class: 'standard' }],
    });
    return { customer: c, quote };
  };
  const unpublished = async (eventType: string) => {
    const r = await sql<{ n: number }>`select count(*)::int as n from outbox where event_type = ${eventType} and published_at is null`.execute(t.kysely);
    return r.rows[0]?.n;
  };

  it('delivers the PDF to the customer only after the send commits, and only once', async () => {
    smtp.messages.length = 0;
    const { quote } = await draftQuote({ name: 'Acme Ltd', country: 'GB', email: 'buyer@acme.example' });
    await ok('POST', `/v1/quotes/${quote.id}/send`);

    // committed, but not yet dispatched: the SMTP server has nothing
    expect(await unpublished('quote.sent')).toBe(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(smtp.messages).toHaveLength(0);

    const first = await dispatchOutbox(deps(t), 100);
    expect(first.failed).toBe(0);
    expect(first.published).toBeGreaterThanOrEqual(1); // quote.sent, and any event without a handler
    expect(smtp.messages).toHaveLength(1);
    const msg = smtp.messages[0]!;
    expect(msg.to).toEqual(['buyer@acme.example']);
    expect(msg.from).toBe('offert@testbolaget.example');
    expect(msg.raw).toMatch(new RegExp(`^Subject: Quote ${quote.number} v1 from Testbolaget AB\\r?$`, 'm'));
    expect(msg.raw).toContain('12,500.00');
    expect(msg.raw).toContain('valid until');
    const pdf = attachment(msg.raw, 'application/pdf');
    expect(pdf.headers).toContain(`${quote.number}-v1.pdf`);
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
    expect(await unpublished('quote.sent')).toBe(0);

    // a second dispatch finds nothing to send
    expect(await dispatchOutbox(deps(t), 100)).toEqual({ published: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(1);
  });

  it('carries a working portal link to the version when the public URL is configured', async () => {
    smtp.messages.length = 0;
    const { quote } = await draftQuote({ name: 'Portal Ltd', country: 'GB', email: 'buyer@portal.example' });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const withPortal: OutboxDispatchDeps = {
      ...deps(t),
      handlers: [quoteSentEmailHandler({ db: t.db, mailer, portal: { app: t.deps, publicUrl: 'https://q2c.example.com/' } })],
    };
    await dispatchOutbox(withPortal, 100);
    expect(smtp.messages).toHaveLength(1);
    // the text part may be quoted-printable: undo soft line breaks before looking for the link
    const raw = smtp.messages[0]!.raw.replace(/=\r?\n/g, '');
    const m = /https:\/\/q2c\.example\.com\/portal\/quotes\/([A-Za-z0-9_-]{43,})/.exec(raw);
    expect(m, 'portal link in the e-mail').not.toBeNull();
    const page = await t.server.inject({ method: 'GET', url: `/portal/quotes/${m![1]}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(quote.number);
  });

  it('sends nothing when the send rolls back', async () => {
    smtp.messages.length = 0;
    const { quote } = await draftQuote({ name: 'Rollback Ltd', country: 'GB', email: 'rollback@acme.example' });
    await dispatchOutbox(deps(t), 100); // anything earlier is out of the way
    const env = envFor(t.deps, { tenantId: t.tenantId, actorId: 'test' });
    await expect(
      t.db.transaction(t.tenantId, async (s) => {
        await sendQuote(s, env, asId('quote', quote.id));
        throw new Error('rolled back after the send');
      }),
    ).rejects.toThrow('rolled back after the send');

    expect(await unpublished('quote.sent')).toBe(0);
    expect(await dispatchOutbox(deps(t), 100)).toEqual({ published: 0, failed: 0 });
    expect(smtp.messages).toHaveLength(0);
    expect((await ok('GET', `/v1/quotes/${quote.id}`)).status).toBe('draft');
  });

  it('marks the event published without e-mail when the customer has no address', async () => {
    smtp.messages.length = 0;
    const { quote } = await draftQuote({ name: 'Utan Post AB', country: 'SE' });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const r = await dispatchOutbox(deps(t), 100);
    expect(r.failed).toBe(0);
    expect(await unpublished('quote.sent')).toBe(0);
    expect(smtp.messages).toHaveLength(0);
  });

  it('retries a failing handler with backoff and gives up after 10 attempts, keeping the error', async () => {
    await dispatchOutbox(deps(t), 100);
    await t.db.transaction(t.tenantId, (s) => s.outbox.insert({ eventType: 'test.flaky', payload: { n: 1 } }));
    const clock = mutableClock(new Date('2027-01-01T00:00:00Z'));
    let calls = 0;
    const failing: OutboxHandler = {
      eventType: 'test.flaky',
      handle: async () => {
        calls++;
        throw new Error(`smtp down #${calls}`);
      },
    };
    const d: OutboxDispatchDeps = { ...outboxDispatchDb(t.kysely), clock, handlers: [failing] };
    const row = async () =>
      (
        await sql<{ attempts: number; last_error: string | null; next_attempt_at: Date | null; published_at: Date | null }>`
          select attempts, last_error, next_attempt_at, published_at from outbox where event_type = 'test.flaky'`.execute(t.kysely)
      ).rows[0]!;

    expect(await dispatchOutbox(d, 10)).toEqual({ published: 0, failed: 1 });
    let r = await row();
    expect(r.attempts).toBe(1);
    expect(r.last_error).toBe('Error: smtp down #1');
    expect(r.next_attempt_at?.getTime()).toBe(clock.now().getTime() + 60_000);
    // not due yet: nothing claimed
    expect(await dispatchOutbox(d, 10)).toEqual({ published: 0, failed: 0 });

    for (let n = 2; n <= MAX_ATTEMPTS; n++) {
      clock.set(new Date(clock.now().getTime() + retryDelayMs(n - 1)));
      expect(await dispatchOutbox(d, 10)).toEqual({ published: 0, failed: 1 });
    }
    r = await row();
    expect(r.attempts).toBe(MAX_ATTEMPTS);
    expect(r.next_attempt_at).toBeNull();
    expect(r.published_at).toBeNull();
    expect(r.last_error).toBe(`Error: smtp down #${MAX_ATTEMPTS}`);
    clock.set(new Date(clock.now().getTime() + 365 * 24 * 3600_000));
    expect(await dispatchOutbox(d, 10)).toEqual({ published: 0, failed: 0 });
    expect(calls).toBe(MAX_ATTEMPTS);
  });
});

describe.each(TEST_DATABASES)('the outbox worker [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { ok } = client(t);

  it('polls and writes the quote e-mail as an .eml file when SMTP_URL is unset', async () => {
    const emlDir = join(mkdtempSync(join(tmpdir(), 'q2c-worker-')), 'outbox-mail');
    const c = await ok('POST', '/v1/customers', { name: 'Eml Ltd', country: 'GB', currency: 'SEK', email: 'eml@acme.example' });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: c.id,
      lines: [{ description: 'Consulting', quantity: '1', unit_price: '100.00', tax_class: 'standard' }],
    });
    await ok('POST', `/v1/quotes/${quote.id}/send`);
    const silent = { info: () => {}, warn: () => {}, error: () => {} };
    const worker = startOutboxWorker({ kysely: t.kysely, app: t.deps }, { fromAddress: 'q2c@localhost', emlDir, pollIntervalMs: 100, smtpUrl: undefined }, silent);
    try {
      const deadline = Date.now() + 10_000;
      const files = () => { try { return readdirSync(emlDir); } catch { return []; } };
      while (files().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await worker.stop();
    }
    const files = readdirSync(emlDir);
    expect(files).toHaveLength(1);
    const raw = readFileSync(join(emlDir, files[0]!), 'utf8');
    expect(raw).toContain(`Subject: Quote ${quote.number} v1 from Testbolaget AB`);
    expect(attachment(raw, 'application/pdf').content.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

describe.each(TEST_DATABASES.filter((k) => k === 'postgres'))('concurrent claims [%s]', (kind) => {
  const t = useTestApp(kind, { max: 4 });

  it('two workers claim disjoint batches (FOR UPDATE SKIP LOCKED)', async () => {
    for (let i = 0; i < 4; i++) await t.db.transaction(t.tenantId, (s) => s.outbox.insert({ eventType: 'test.concurrent', payload: { i } }));
    const { runInTransaction } = outboxDispatchDb(t.kysely);
    const now = new Date();
    const lease = new Date(now.getTime() + 60_000);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let claimedA!: (ids: string[]) => void;
    const aIds = new Promise<string[]>((r) => (claimedA = r));
    // A claims 2 rows and keeps its transaction (and row locks) open while B claims
    const a = runInTransaction(async (s) => {
      claimedA((await s.claimBatch(2, now, lease)).map((e) => e.id));
      await held;
    });
    const first = await aIds;
    const second = (await runInTransaction((s) => s.claimBatch(10, now, lease))).map((e) => e.id);
    release();
    await a;
    expect(first).toHaveLength(2);
    expect(second).toHaveLength(2);
    expect(second.filter((id) => first.includes(id))).toEqual([]);
  });
});

describe('quote e-mail content and the .eml fallback', () => {
  it('backs off 1, 2, 4 … minutes, capped at an hour', () => {
    expect([1, 2, 3, 6, 7, 9].map((n) => retryDelayMs(n) / 60_000)).toEqual([1, 2, 4, 32, 60, 60]);
  });

  it('writes the message as an .eml file when no SMTP server is configured', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'q2c-eml-')), 'outbox-mail');
    const eml = createMailer({ fromAddress: 'q2c@localhost', emlDir: dir });
    const sent = await eml.send({
      to: 'kund@example.se',
      subject: 'Quote Q-2026-0001 v1 from Testbolaget AB',
      text: 'The quote is attached as a PDF.',
      attachments: [{ filename: 'Q-2026-0001-v1.pdf', content: Buffer.from('%PDF-1.7\n%fake\n'), contentType: 'application/pdf' }],
    });
    eml.close();
    expect(sent.via).toBe('eml');
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT[\d-]+Z-.+\.eml$/);
    const raw = readFileSync(join(dir, files[0]!), 'utf8');
    expect(raw).toContain('To: kund@example.se');
    expect(raw).toContain('Subject: Quote Q-2026-0001 v1 from Testbolaget AB');
    const pdf = attachment(raw, 'application/pdf');
    expect(pdf.headers).toContain('Q-2026-0001-v1.pdf');
    expect(pdf.content.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('writes Swedish for Swedish customers', () => {
    const doc = {
      language: 'sv' as const,
      number: 'Q-2026-0001',
      version: 1,
      validUntil: '2027-01-03',
      currency: 'SEK',
      grossTotalMinor: 1250000n,
      seller: { name: 'Testbolaget AB', email: 'offert@testbolaget.example' },
    };
    const c = quoteEmailContent(doc as unknown as Parameters<typeof quoteEmailContent>[0]);
    expect(c.subject).toBe('Offert Q-2026-0001 v1 från Testbolaget AB');
    expect(c.text).toContain('12\u00a0500,00\u00a0SEK');
    expect(c.text).toContain('gäller till och med 2027-01-03');
    expect(c.text).toContain('PDF i bilagan');
  });
});
