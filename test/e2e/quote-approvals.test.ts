/**
 * Quote approvals over HTTP: tenant rules (line discount, total, margin) make a draft need approval
 * before it is sent; an approver (admin or sales_manager, never the requester) approves or rejects;
 * the approval is recorded with who, when and which version; a revision needs approval again only
 * when a line that triggered a rule changed.
 */
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';

describe.each(TEST_DATABASES)('quote approvals [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);

  const as = (key: string) => ({ authorization: `Bearer ${key}` });
  const putRules = async (rules: unknown[]) => {
    const res = await t.server.inject({ method: 'PUT', url: '/v1/settings/approval-rules', payload: { rules }, headers: as(t.apiKey) });
    return { status: res.statusCode, body: res.json() };
  };
  const newKey = async (name: string, role: string) => (await createApiKey(t.db, t.deps, { tenantId: t.tenantId, name, role })).key;

  const customer = async (name: string) => ok('POST', '/v1/customers', { name, country: 'SE', currency: 'SEK' });

  it('validates and replaces the rules', async () => {
    const bad = await putRules([{ kind: 'line_discount_above', percent: '150' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('rules.0.percent');
    const badMoney = await putRules([{ kind: 'total_above', amount: { amount: '1.001', currency: 'SEK' } }]);
    expect(badMoney.status).toBe(400);
    expect(badMoney.body.error.param).toBe('rules.0.amount.amount');
    const unknownKind = await putRules([{ kind: 'weekday_is', percent: '1' }]);
    expect(unknownKind.status).toBe(400);

    const set = await putRules([
      { kind: 'line_discount_above', percent: '15' },
      { kind: 'total_above', amount: { amount: '500000.00', currency: 'SEK' } },
    ]);
    expect(set.status).toBe(200);
    const got = await ok('GET', '/v1/settings/approval-rules');
    expect(got.data.map((r: any) => [r.kind, r.percent, r.amount])).toEqual([
      ['line_discount_above', '15', null],
      ['total_above', null, { amount: '500000.00', currency: 'SEK' }],
    ]);
    expect((await putRules([])).status).toBe(200);
    expect((await ok('GET', '/v1/settings/approval-rules')).data).toEqual([]);
  });

  it('requires approval above a 15 % line discount, records it, and carries it over to an unchanged revision', async () => {
    const manager = await newKey('manager', 'sales_manager');
    const seller = await newKey('seller', 'sales');
    expect((await putRules([{ kind: 'line_discount_above', percent: '15' }])).status).toBe(200);
    const c = await customer('Rabattkund');
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: c.id,
      lines: [
        { description: 'Licens', quantity: '10', unit_price: '1000.00', discount_percent: '20', tax_class: 'standard' },
        { description: 'Installation', quantity: '2', unit_price: '800.00', tax_class: 'standard' },
      ],
    });

    // refused: the line discount of 20 % is above 15 %
    const refused = await call('POST', `/v1/quotes/${quote.id}/send`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('quote_approval_required');
    expect(refused.body.error.message).toMatch(/Line 1 discount 20 % is above 15 %/);

    // the approver actions need a version awaiting approval
    const early = await call('POST', `/v1/quotes/${quote.id}/approve`, {}, as(manager));
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('quote_not_awaiting_approval');

    const requested = await call('POST', `/v1/quotes/${quote.id}/request-approval`);
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ status: 'requested', version: 1, quote: { status: 'awaiting_approval' } });
    expect(requested.body.triggered).toEqual([
      expect.objectContaining({ kind: 'line_discount_above', line_keys: ['L1'], quote_level: false }),
    ]);

    // an awaiting version can be neither sent nor edited
    expect((await call('POST', `/v1/quotes/${quote.id}/send`)).status).toBe(409);
    expect((await call('PATCH', `/v1/quotes/${quote.id}`, { notes: 'ändrad' })).status).toBe(409);

    // who may approve: not a 'sales' key, not the requester (the admin key asked)
    const bySeller = await call('POST', `/v1/quotes/${quote.id}/approve`, {}, as(seller));
    expect(bySeller.status).toBe(403);
    expect(bySeller.body.error.code).toBe('forbidden');
    const bySelf = await call('POST', `/v1/quotes/${quote.id}/approve`, {});
    expect(bySelf.status).toBe(403);
    expect(bySelf.body.error.message).toMatch(/requester/);

    const approved = await call('POST', `/v1/quotes/${quote.id}/approve`, { comment: 'OK för strategisk kund' }, as(manager));
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved', version: 1, comment: 'OK för strategisk kund', quote: { status: 'approved' } });

    const v1 = await ok('POST', `/v1/quotes/${quote.id}/send`);
    expect(v1.status).toBe('sent');

    // recorded: who asked, who approved, when, which version
    const approvals = await ok('GET', `/v1/quotes/${quote.id}/approvals`);
    expect(approvals.data).toHaveLength(1);
    const keys = await sql<{ id: string; name: string }>`select id, name from api_keys where tenant_id = ${t.tenantId}`.execute(t.kysely);
    const keyId = (name: string) => keys.rows.find((k) => k.name === name)?.id;
    expect(approvals.data[0]).toMatchObject({
      quote_id: quote.id,
      version: 1,
      status: 'approved',
      decided_by: keyId('manager'),
      decided_at: '2026-12-04T10:00:00.000Z',
      requested_at: '2026-12-04T10:00:00.000Z',
    });
    expect(approvals.data[0].requested_by).not.toBe(approvals.data[0].decided_by);

    // revise and change only the untriggering line's quantity: no new approval needed
    const v2 = await ok('POST', `/v1/quotes/${quote.id}/revise`);
    await ok('PATCH', `/v1/quotes/${v2.id}`, {
      lines: [
        { line_key: 'L1', description: 'Licens', quantity: '10', unit_price: '1000.00', discount_percent: '20', tax_class: 'standard' },
        { line_key: 'L2', description: 'Installation', quantity: '3', unit_price: '800.00', tax_class: 'standard' },
      ],
    });
    const sent2 = await ok('POST', `/v1/quotes/${v2.id}/send`);
    expect(sent2).toMatchObject({ status: 'sent', version: 2 });
    const audit = await sql<{ data: any }>`
      select data from audit_log where tenant_id = ${t.tenantId} and entity_id = ${v2.id} and action = 'quote.sent'`.execute(t.kysely);
    expect(audit.rows[0]?.data.approval_carried_over).toMatchObject({ approved_version: 1 });

    // revise again and change the triggering line's price: approval is required again
    const v3 = await ok('POST', `/v1/quotes/${v2.id}/revise`);
    await ok('PATCH', `/v1/quotes/${v3.id}`, {
      lines: [
        { line_key: 'L1', description: 'Licens', quantity: '10', unit_price: '900.00', discount_percent: '20', tax_class: 'standard' },
        { line_key: 'L2', description: 'Installation', quantity: '3', unit_price: '800.00', tax_class: 'standard' },
      ],
    });
    const again = await call('POST', `/v1/quotes/${v3.id}/send`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('quote_approval_required');
    expect(again.body.error.message).toMatch(/Line 'L1', which triggers an approval rule, changed/);
  });

  it('triggers on a total above 500 000 SEK and on a margin below 20 %; a quote triggering nothing sends directly', async () => {
    expect(
      (
        await putRules([
          { kind: 'total_above', amount: { amount: '500000.00', currency: 'SEK' } },
          { kind: 'margin_below', percent: '20' },
        ])
      ).status,
    ).toBe(200);
    const c = await customer('Storkund');
    const big = await ok('POST', '/v1/quotes', {
      customer_id: c.id,
      lines: [{ description: 'Projekt', quantity: '1', unit_price: '450000.00', tax_class: 'standard' }],
    });
    // 450 000 + 25 % VAT = 562 500 > 500 000
    const bigSend = await call('POST', `/v1/quotes/${big.id}/send`);
    expect(bigSend.status).toBe(409);
    expect(bigSend.body.error.code).toBe('quote_approval_required');
    expect(bigSend.body.error.message).toMatch(/Quote total 562500.00 SEK is above 500000.00 SEK/);
    const req = await ok('POST', `/v1/quotes/${big.id}/request-approval`, undefined, { 'idempotency-key': 'apr-big-1' });
    expect(req.triggered.map((x: any) => x.kind)).toEqual(['total_above']);
    // a retry with the same Idempotency-Key replays the first response
    const replay = await ok('POST', `/v1/quotes/${big.id}/request-approval`, undefined, { 'idempotency-key': 'apr-big-1' });
    expect(replay.id).toBe(req.id);
    expect((await ok('GET', `/v1/quotes/${big.id}/approvals`)).data).toHaveLength(1);

    const product = await ok('POST', '/v1/products', {
      sku: 'APR-LOW', name: 'Hårdvara', unit: 'C62', tax_class: 'standard',
      unit_prices: [{ amount: '100.00', currency: 'SEK' }], unit_cost: '85.00',
    });
    const thin = await ok('POST', '/v1/quotes', { customer_id: c.id, lines: [{ product_id: product.id, quantity: '5' }] });
    const thinSend = await call('POST', `/v1/quotes/${thin.id}/send`);
    expect(thinSend.status).toBe(409);
    expect(thinSend.body.error.message).toMatch(/margin 15 % is below 20 %/);

    const fat = await ok('POST', '/v1/products', {
      sku: 'APR-OK', name: 'Tjänst', unit: 'C62', tax_class: 'standard',
      unit_prices: [{ amount: '100.00', currency: 'SEK' }], unit_cost: '50.00',
    });
    const plain = await ok('POST', '/v1/quotes', { customer_id: c.id, lines: [{ product_id: fat.id, quantity: '5' }] });
    const noRule = await call('POST', `/v1/quotes/${plain.id}/request-approval`);
    expect(noRule.status).toBe(422);
    expect(noRule.body.error.code).toBe('unprocessable');
    expect((await ok('POST', `/v1/quotes/${plain.id}/send`)).status).toBe('sent');
  });

  it('rejecting returns the version to draft with the comment kept', async () => {
    const manager = await newKey('manager-2', 'sales_manager');
    expect((await putRules([{ kind: 'line_discount_above', percent: '15' }])).status).toBe(200);
    const c = await customer('Avslagskund');
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: c.id,
      lines: [{ description: 'Licens', quantity: '1', unit_price: '1000.00', discount_percent: '30', tax_class: 'standard' }],
    });
    await ok('POST', `/v1/quotes/${quote.id}/request-approval`);
    const noComment = await call('POST', `/v1/quotes/${quote.id}/reject-approval`, {}, as(manager));
    expect(noComment.status).toBe(400);
    expect(noComment.body.error.param).toBe('comment');
    const rejected = await call('POST', `/v1/quotes/${quote.id}/reject-approval`, { comment: 'Max 15 % rabatt' }, as(manager));
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', comment: 'Max 15 % rabatt', quote: { status: 'draft' } });
    expect((await ok('GET', `/v1/quotes/${quote.id}`)).status).toBe('draft');
    const list = await ok('GET', `/v1/quotes/${quote.id}/approvals`);
    expect(list.data.map((a: any) => [a.status, a.comment])).toEqual([['rejected', 'Max 15 % rabatt']]);

    // the draft can be edited down to 15 % and sent without approval
    await ok('PATCH', `/v1/quotes/${quote.id}`, {
      lines: [{ line_key: 'L1', description: 'Licens', quantity: '1', unit_price: '1000.00', discount_percent: '15', tax_class: 'standard' }],
    });
    expect((await ok('POST', `/v1/quotes/${quote.id}/send`)).status).toBe('sent');
  });
});
