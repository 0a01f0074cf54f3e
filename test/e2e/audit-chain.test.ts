/**
 * The hash-chained audit trail (migration 2026-12-04T2910) on every configured database: the database's
 * canonical form and SHA-256 agree with core/audit/chain.ts byte for byte; every audit row is sealed at
 * commit into a gapless per-tenant chain the TypeScript walker accepts; concurrent transactions of one
 * tenant still make one linear chain; posting and issuing add seal rows; the app cannot change, delete
 * or pre-seal audit rows; and rows removed, rewritten or slipped in with the triggers off are reported.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { verifyLedger } from '../../src/app/audit/verify.js';
import { auditRowHash, canonical, ChainWalker, GENESIS_HASH, sha256Hex, type AuditChainRow } from '../../src/core/audit/chain.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { issuedInvoiceForCustomer } from '../support/orders.js';

describe.each(TEST_DATABASES)('audit chain [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z'), max: 12 });
  const { ok } = client(t);

  async function allRows(): Promise<AuditChainRow[]> {
    const out: AuditChainRow[] = [];
    for (;;) {
      const page = await t.db.store(t.tenantId).audit.chainPage(out.length === 0 ? 0n : out[out.length - 1]!.seq!, 500);
      out.push(...page);
      if (page.length < 500) return out;
    }
  }
  const audit = () => t.db.store(t.tenantId).audit;
  const verify = () => t.db.snapshot(t.tenantId, (s) => verifyLedger(s));
  async function asAttacker(statement: ReturnType<typeof sql>): Promise<void> {
    await t.kysely.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await statement.execute(trx);
    });
  }

  it('serialises and hashes exactly as the database does', async () => {
    const cases: (string | null)[][] = [
      [],
      [''],
      [null],
      ['a', null, ''],
      ['1:a,', '~', ','],
      ['Åsa Öberg', 'ß€😀', 'tab\there', 'new\nline', '"quoted"', '\\back'],
    ];
    for (const fields of cases) {
      const r = await sql<{ c: string; h: string }>`select q2c_canonical(${fields}::text[]) as c, q2c_sha256_hex(q2c_canonical(${fields}::text[])) as h`.execute(t.kysely);
      expect(r.rows[0]!.c, JSON.stringify(fields)).toBe(canonical(fields));
      expect(r.rows[0]!.h).toBe(sha256Hex(canonical(fields)));
    }
    expect(canonical(['a', null, 'åö'])).toBe('1:a,~,4:åö,');
    // a different split of the same characters serialises differently
    expect(canonical(['ab', 'c'])).not.toBe(canonical(['a', 'bc']));
  });

  it('seals every row at commit into a gapless chain the TypeScript walker recomputes, with seal rows for postings and issues', async () => {
    const c = await ok('POST', '/v1/customers', { name: 'Kedja AB', country: 'SE', currency: 'SEK' });
    const invoice = await issuedInvoiceForCustomer(t, c.id);
    const rows = await allRows();
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => BigInt(i + 1)));
    expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
    for (const [i, r] of rows.entries()) {
      expect(r.hash).toBe(auditRowHash(r, r.seq!, i === 0 ? GENESIS_HASH : rows[i - 1]!.hash!));
      if (i > 0) expect(r.prevHash).toBe(rows[i - 1]!.hash);
    }
    const walker = new ChainWalker();
    for (const r of rows) walker.push(r);
    walker.finish(await audit().chainHead());
    expect(walker.breaks).toEqual([]);

    // issuing wrote invoice.issued (the app), invoice.sealed and journal.posted (the database, at commit)
    const actions = rows.filter((r) => r.entityId === invoice.id || r.entityType === 'journal_entry').map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['invoice.issued', 'invoice.sealed', 'journal.posted']));
    const sealed = rows.find((r) => r.action === 'invoice.sealed' && r.entityId === invoice.id)!;
    expect(JSON.parse(sealed.data!)).toMatchObject({ series: 'INV', number: invoice.number, gross_total_minor: '125000', digest: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await verify()).ok).toBe(true);
  });

  it('keeps one linear chain when transactions of the tenant commit concurrently', async () => {
    const before = (await audit().chainHead())!.seq;
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        t.db.transaction(t.tenantId, async (s) => {
          for (let j = 0; j < 3; j++) await s.audit.insert({ actor: 'test', action: 'test.concurrent', entityType: 'test', entityId: `x_${i}_${j}`, data: { i, j } });
        }),
      ),
    );
    const rows = await allRows();
    expect((await audit().chainHead())!.seq).toBe(before + 24n);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => BigInt(i + 1)));
    expect((await verify()).checks.find((c) => c.code === 'audit_chain')).toMatchObject({ ok: true, checked: rows.length });
  });

  it('refuses changing, deleting or pre-sealing audit rows through the app', async () => {
    const [first] = await allRows();
    await expect(sql`update audit_log set actor = 'someone else' where id = ${first!.id}`.execute(t.kysely)).rejects.toThrow(/immutable/);
    await expect(sql`delete from audit_log where id = ${first!.id}`.execute(t.kysely)).rejects.toThrow(/immutable/);
    await expect(
      sql`insert into audit_log (tenant_id, id, actor, action, entity_type, entity_id, seq, prev_hash, hash)
          values (${t.tenantId}, 'aud_forged', 'x', 'x', 'x', 'x', 999, ${GENESIS_HASH}, ${GENESIS_HASH})`.execute(t.kysely),
    ).rejects.toThrow(/sealed by the database/);
    await expect(sql`update audit_chain_heads set seq = seq`.execute(t.kysely)).resolves.toBeDefined(); // the head is not the record: verify compares it
  });

  it('reports rows slipped in unsealed, rows removed from the middle and the end, and an entry removed from the journal', async () => {
    // slipped in with the triggers off: never sealed
    await asAttacker(sql`insert into audit_log (tenant_id, id, actor, action, entity_type, entity_id) values (${t.tenantId}, 'aud_slipped', 'x', 'payment.applied', 'payment', 'pay_x')`);
    let chain = (await verify()).checks.find((c) => c.code === 'audit_chain')!;
    expect(chain.failures).toEqual(['aud_slipped (payment.applied pay_x): never sealed into the chain (inserted with the triggers disabled)']);

    const rows = await allRows();
    const middle = rows[4]!;
    await asAttacker(sql`delete from audit_log where id = ${middle.id}`);
    const last = rows[rows.length - 1]!;
    await asAttacker(sql`delete from audit_log where id = ${last.id}`);
    chain = (await verify()).checks.find((c) => c.code === 'audit_chain')!;
    expect(chain.ok).toBe(false);
    expect(chain.failures).toEqual([
      `seq ${middle.seq! + 1n} (${rows[5]!.id}): row seq ${middle.seq} is missing`,
      `seq ${middle.seq! + 1n} (${rows[5]!.id}): prev_hash does not link to the hash of seq ${middle.seq! - 1n}, the row before it`,
      `seq ${last.seq}: the chain ends at seq ${last.seq! - 1n} but its head says seq ${last.seq}: rows are missing at the end`,
      'aud_slipped (payment.applied pay_x): never sealed into the chain (inserted with the triggers disabled)',
    ]);

    // a journal entry (and its lines) deleted: its seal names it, and its number is missing (a second entry follows it)
    await issuedInvoiceForCustomer(t, (await ok('POST', '/v1/customers', { name: 'Andra AB', country: 'SE', currency: 'SEK' })).id);
    const entry = (await sql<{ id: string; series: string; fiscal_year: number; number: number }>`
      select id, series, fiscal_year, number from journal_entries order by number limit 1`.execute(t.kysely)).rows[0]!;
    await asAttacker(sql`delete from journal_lines where entry_id = ${entry.id}`);
    await asAttacker(sql`delete from journal_entries where id = ${entry.id}`);
    const report = await verify();
    const sealed = report.checks.find((c) => c.code === 'journal_entries_sealed')!;
    expect(sealed.failures).toEqual([expect.stringMatching(new RegExp(`^entry ${entry.series} ${entry.fiscal_year}-${entry.number} \\(${entry.id}\\): sealed at seq \\d+ \\(aud_[0-9a-z]+\\) but no longer in the journal$`))]);
    expect(report.checks.find((c) => c.code === 'journal_numbering')!.failures).toEqual([`journal series ${entry.series} ${entry.fiscal_year}: number ${entry.number} is missing`]);
    expect(report.ok).toBe(false);
  });
});
