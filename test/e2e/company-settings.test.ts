/**
 * Company settings: the seller details and logo that documents print. A bad logo is refused naming
 * the field and changes nothing; only an admin may change them; the quote PDF picks them up.
 */
import { describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/app/platform/api-keys.js';
import { TEST_DATABASES } from '../support/databases.js';
import { useTestApp } from '../support/app.js';
import { client } from '../api/helpers.js';
import { pdfText } from '../support/pdf.js';

// a valid 1 × 1 PNG
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

describe.each(TEST_DATABASES)('company settings [%s]', (kind) => {
  const t = useTestApp(kind, { now: new Date('2026-12-04T10:00:00Z') });
  const { call, ok } = client(t);

  it('updates the seller details and logo that the quote PDF prints', async () => {
    const bad = await call('PATCH', '/v1/settings/company', { address: { city: 'x' }, logo: Buffer.from('GIF89a not a png').toString('base64') });
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('logo');
    const unchanged = await ok('GET', '/v1/settings/company');
    expect(unchanged).toMatchObject({ has_logo: false, address: { city: 'Stockholm' } });

    const company = await ok('PATCH', '/v1/settings/company', {
      address: { line1: 'Kvarngatan 7', postal_code: '118 47', city: 'Stockholm' },
      phone: '08-123 45 67',
      bankgiro: '5050-1055',
      logo: PNG_1X1,
    });
    expect(company).toMatchObject({ has_logo: true, phone: '08-123 45 67', bankgiro: '5050-1055', address: { line1: 'Kvarngatan 7' } });

    const customer = await ok('POST', '/v1/customers', { name: 'Logokund AB', country: 'SE', currency: 'SEK' });
    const quote = await ok('POST', '/v1/quotes', {
      customer_id: customer.id, lines: [{ description: 'Tjänst', quantity: '1', unit_price: '100.00', tax_class: 'standard' }],
    });
    const res = await t.server.inject({ method: 'GET', url: `/v1/quotes/${quote.id}/pdf`, headers: { authorization: `Bearer ${t.apiKey}` } });
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.includes(Buffer.from('/Subtype /Image'))).toBe(true);
    const text = pdfText(res.rawPayload);
    expect(text).toContain('Kvarngatan 7');
    expect(text).toContain('5050-1055');

    await ok('PATCH', '/v1/settings/company', { logo: null });
    expect((await ok('GET', '/v1/settings/company')).has_logo).toBe(false);
  });

  it('lets only an admin change the company settings', async () => {
    const { key } = await createApiKey(t.db, t.deps, { tenantId: t.tenantId, name: 'seller', role: 'sales' });
    const res = await t.server.inject({
      method: 'PATCH', url: '/v1/settings/company', payload: { phone: '1' }, headers: { authorization: `Bearer ${key}` },
    });
    expect(res.statusCode).toBe(403);
    expect((await ok('GET', '/v1/settings/company')).phone).not.toBe('1');
  });
});
