import { describe, expect, it } from 'vitest';
import { BAS_ACCOUNT_NAMES, BAS_DEFAULTS } from './accounts.js';

describe('BAS_DEFAULTS', () => {
  it('maps the business accounts to BAS 2024 numbers', () => {
    expect(BAS_DEFAULTS).toEqual({
      receivable: '1510',
      bank: '1930',
      customerCredit: '2420',
      revenueByVatRate: { '25': '3001', '12': '3002', '6': '3003' },
      outputVatByVatRate: { '25': '2611', '12': '2621', '6': '2631' },
      revenueZeroRated: '3004',
      revenueExempt: '3004',
      revenueEuGoods: '3108',
      revenueEuServices: '3308',
      revenueExportGoods: '3105',
      revenueServicesOutsideEu: '3305',
      advancesInvoiced: '2429',
      roundingDifference: '3740',
      fxGain: '3960',
      fxLoss: '7960',
      bankFees: '6570',
      reminderFees: '3990',
      interestIncome: '8313',
      badDebts: '6351',
    });
  });

  it('uses only 4-digit accounts that have a Swedish name', () => {
    const accounts = [
      BAS_DEFAULTS.receivable,
      BAS_DEFAULTS.bank,
      BAS_DEFAULTS.customerCredit,
      BAS_DEFAULTS.revenueZeroRated,
      BAS_DEFAULTS.revenueExempt,
      BAS_DEFAULTS.revenueEuGoods,
      BAS_DEFAULTS.revenueEuServices,
      BAS_DEFAULTS.revenueExportGoods,
      BAS_DEFAULTS.revenueServicesOutsideEu,
      BAS_DEFAULTS.advancesInvoiced,
      BAS_DEFAULTS.roundingDifference,
      BAS_DEFAULTS.fxGain,
      BAS_DEFAULTS.fxLoss,
      BAS_DEFAULTS.bankFees,
      BAS_DEFAULTS.reminderFees,
      BAS_DEFAULTS.interestIncome,
      BAS_DEFAULTS.badDebts,
      ...Object.values(BAS_DEFAULTS.revenueByVatRate),
      ...Object.values(BAS_DEFAULTS.outputVatByVatRate),
    ];
    for (const a of accounts) {
      expect(a).toMatch(/^\d{4}$/);
      expect(BAS_ACCOUNT_NAMES[a], a).toBeTruthy();
    }
  });

  it('has the same rates for revenue and output VAT', () => {
    expect(Object.keys(BAS_DEFAULTS.outputVatByVatRate).sort()).toEqual(Object.keys(BAS_DEFAULTS.revenueByVatRate).sort());
  });

  it('is frozen, so a tenant override must copy it', () => {
    expect(Object.isFrozen(BAS_DEFAULTS)).toBe(true);
    expect(Object.isFrozen(BAS_DEFAULTS.revenueByVatRate)).toBe(true);
    expect(Object.isFrozen(BAS_DEFAULTS.outputVatByVatRate)).toBe(true);
    expect(() => {
      (BAS_DEFAULTS as { bank: string }).bank = '1940';
    }).toThrow(TypeError);
  });
});

describe('BAS_ACCOUNT_NAMES', () => {
  it('names the accounts in Swedish as BAS does', () => {
    expect(BAS_ACCOUNT_NAMES['1510']).toBe('Kundfordringar');
    expect(BAS_ACCOUNT_NAMES['1930']).toBe('Företagskonto/checkkonto/affärskonto');
    expect(BAS_ACCOUNT_NAMES['2420']).toBe('Förskott från kunder');
    expect(BAS_ACCOUNT_NAMES['2611']).toBe('Utgående moms på försäljning inom Sverige, 25 %');
    expect(BAS_ACCOUNT_NAMES['3001']).toBe('Försäljning inom Sverige, 25 % moms');
    expect(BAS_ACCOUNT_NAMES['3004']).toBe('Försäljning inom Sverige, momsfri');
    expect(BAS_ACCOUNT_NAMES['3740']).toBe('Öres- och kronutjämning');
  });

  it('covers the accounts ACCOUNTING.md refers to', () => {
    for (const a of ['3105', '3108', '3308', '3731', '3740', '3960', '6351', '6570', '7960', '8313']) {
      expect(BAS_ACCOUNT_NAMES[a], a).toBeTruthy();
    }
  });

  it('keys only 4-digit account numbers', () => {
    for (const a of Object.keys(BAS_ACCOUNT_NAMES)) expect(a).toMatch(/^\d{4}$/);
  });
});
