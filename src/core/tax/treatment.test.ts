import { describe, expect, it } from 'vitest';
import { formatDecimal4 } from '../money/quantity.js';
import {
  EU_MEMBER_STATES,
  EXEMPTION_REASONS,
  determineVatTreatment,
  isEuForGoods,
  isEuForServices,
  isEuMemberState,
  isEuVatNumberShape,
  normalizeVatNumber,
} from './treatment.js';
import type { VatTreatmentInput } from './treatment.js';

const base: VatTreatmentInput = {
  sellerCountry: 'SE',
  buyerCountry: 'SE',
  buyerVatNumber: null,
  buyerIsBusiness: false,
  supply: 'goods',
  taxClass: 'standard',
  taxPointDate: '2026-06-15',
};
const treat = (over: Partial<VatTreatmentInput>) => {
  const t = determineVatTreatment({ ...base, ...over });
  return `${t.category} ${formatDecimal4(t.rate)} ${t.exemptionReasonCode ?? '-'}`;
};

describe('EU member states', () => {
  it('lists the 27 member states, Greece as GR', () => {
    expect(EU_MEMBER_STATES).toHaveLength(27);
    expect(new Set(EU_MEMBER_STATES).size).toBe(27);
    expect(isEuMemberState('GR')).toBe(true);
    expect(isEuMemberState('EL')).toBe(false);
    for (const c of ['GB', 'NO', 'CH', 'IS', 'US', 'XI']) expect(isEuMemberState(c)).toBe(false);
  });

  it('Northern Ireland counts as EU for goods only', () => {
    expect(isEuForGoods('XI')).toBe(true);
    expect(isEuForServices('XI')).toBe(false);
    expect(isEuForGoods('GB')).toBe(false);
    expect(isEuForGoods('DE') && isEuForServices('DE')).toBe(true);
  });
});

describe('VAT number shapes', () => {
  it.each([
    ['SE556677889901', 'SE'],
    ['SE 5566778899 01', 'SE'],
    ['DE123456789', 'DE'],
    ['de 123.456.789', 'DE'],
    ['ATU12345678', 'AT'],
    ['BE0123456789', 'BE'],
    ['FR12345678901', 'FR'],
    ['FRXX123456789', 'FR'],
    ['EL123456789', 'GR'],
    ['NL123456789B01', 'NL'],
    ['IE1234567T', 'IE'],
    ['IE1234567WA', 'IE'],
    ['IE1A23456T', 'IE'],
    ['ESX1234567X', 'ES'],
    ['ES12345678Z', 'ES'],
    ['CY12345678L', 'CY'],
    ['FI12345678', 'FI'],
    ['DK12345678', 'DK'],
    ['PL1234567890', 'PL'],
    ['XI123456789', 'XI'],
  ])('%s is shaped like a %s VAT number', (number, country) => {
    expect(isEuVatNumberShape(number, country)).toBe(true);
  });

  it.each([
    ['SE5566778899', 'SE'], // missing '01'
    ['SE556677889902', 'SE'],
    ['DE12345678', 'DE'], // 8 digits
    ['123456789', 'DE'], // no prefix
    ['FR123456789', 'DE'], // another country's prefix
    ['GR123456789', 'GR'], // Greece uses EL
    ['AT12345678', 'AT'], // missing U
    ['NL123456789001', 'NL'],
    ['GB123456789', 'GB'], // not in the EU
    ['NO123456789MVA', 'NO'],
    ['', 'SE'],
  ])('%s is not shaped like a %s VAT number', (number, country) => {
    expect(isEuVatNumberShape(number, country)).toBe(false);
  });

  it('normalizes spaces, dots, hyphens and case', () => {
    expect(normalizeVatNumber(' se-556677-8899 01 ')).toBe('SE556677889901');
  });
});

describe('determineVatTreatment', () => {
  it('domestic: the Swedish rate of the tax class, no exemption reason', () => {
    expect(treat({})).toBe('S 25 -');
    expect(treat({ taxClass: 'reduced_12' })).toBe('S 12 -');
    expect(treat({ taxClass: 'reduced_6', buyerIsBusiness: true, buyerVatNumber: 'SE556677889901' })).toBe('S 6 -');
    expect(treat({ taxClass: 'zero' })).toBe('Z 0 -');
    expect(treat({ supply: 'services', buyerIsBusiness: true, buyerVatNumber: 'SE556677889901' })).toBe('S 25 -');
    const t = determineVatTreatment(base);
    expect(t.exemptionReason).toBeNull();
    expect(t.basis).toBe('domestic');
  });

  it('food via determineVatTreatment: 12 % → 6 % on 2026-04-01 → 12 % on 2028-01-01', () => {
    expect(treat({ taxClass: 'food', taxPointDate: '2026-03-31' })).toBe('S 12 -');
    expect(treat({ taxClass: 'food', taxPointDate: '2026-04-01' })).toBe('S 6 -');
    expect(treat({ taxClass: 'food', taxPointDate: '2027-12-31' })).toBe('S 6 -');
    expect(treat({ taxClass: 'food', taxPointDate: '2028-01-01' })).toBe('S 12 -');
    // an EU consumer pays Swedish food VAT too
    expect(treat({ taxClass: 'food', taxPointDate: '2026-04-01', buyerCountry: 'FI' })).toBe('S 6 -');
  });

  it('EU business with a VAT number: goods K, services AE', () => {
    const goods = determineVatTreatment({ ...base, buyerCountry: 'DE', buyerIsBusiness: true, buyerVatNumber: 'DE123456789' });
    expect(goods).toEqual({
      category: 'K',
      rate: { scaled: 0n },
      exemptionReasonCode: 'VATEX-EU-IC',
      exemptionReason: { sv: 'Unionsintern leverans', en: 'Intra-Community supply' },
      basis: 'intra_community_supply',
    });
    const services = determineVatTreatment({
      ...base,
      buyerCountry: 'FI',
      buyerIsBusiness: true,
      buyerVatNumber: 'FI 1234 5678',
      supply: 'services',
    });
    expect(services).toEqual({
      category: 'AE',
      rate: { scaled: 0n },
      exemptionReasonCode: 'VATEX-EU-AE',
      exemptionReason: { sv: 'Omvänd betalningsskyldighet', en: 'Reverse charge' },
      basis: 'eu_reverse_charge',
    });
    expect(treat({ buyerCountry: 'GR', buyerIsBusiness: true, buyerVatNumber: 'EL123456789' })).toBe('K 0 VATEX-EU-IC');
    // the tax class does not matter for K / AE, the zero class included
    expect(treat({ buyerCountry: 'DE', buyerIsBusiness: true, buyerVatNumber: 'DE123456789', taxClass: 'food' })).toBe('K 0 VATEX-EU-IC');
    expect(treat({ buyerCountry: 'DE', buyerIsBusiness: true, buyerVatNumber: 'DE123456789', taxClass: 'zero' })).toBe('K 0 VATEX-EU-IC');
  });

  it('EU business without a usable VAT number is treated as a consumer: Swedish VAT', () => {
    for (const buyerVatNumber of [null, '', 'DE1234', 'FR12345678901' /* wrong country */]) {
      const t = determineVatTreatment({ ...base, buyerCountry: 'DE', buyerIsBusiness: true, buyerVatNumber });
      expect([t.category, formatDecimal4(t.rate), t.exemptionReasonCode, t.basis]).toEqual([
        'S',
        '25',
        null,
        'eu_business_without_vat_number',
      ]);
    }
    // a VAT number alone does not make a consumer a business
    expect(determineVatTreatment({ ...base, buyerCountry: 'DE', buyerVatNumber: 'DE123456789' }).basis).toBe('eu_consumer');
  });

  it('EU consumer: Swedish VAT (no OSS), goods and services', () => {
    expect(treat({ buyerCountry: 'DE' })).toBe('S 25 -');
    expect(treat({ buyerCountry: 'DE', supply: 'services' })).toBe('S 25 -');
    expect(treat({ buyerCountry: 'DK', taxClass: 'reduced_6' })).toBe('S 6 -');
    expect(determineVatTreatment({ ...base, buyerCountry: 'DE' }).basis).toBe('eu_consumer');
  });

  it('outside the EU: goods G; services O to a business, Swedish VAT to a consumer', () => {
    expect(determineVatTreatment({ ...base, buyerCountry: 'NO' })).toEqual({
      category: 'G',
      rate: { scaled: 0n },
      exemptionReasonCode: 'VATEX-EU-G',
      exemptionReason: { sv: 'Export', en: 'Export' },
      basis: 'export',
    });
    expect(treat({ buyerCountry: 'US', buyerIsBusiness: true })).toBe('G 0 VATEX-EU-G');
    expect(treat({ buyerCountry: 'GB', buyerIsBusiness: true, buyerVatNumber: 'GB123456789' })).toBe('G 0 VATEX-EU-G');
    const service = determineVatTreatment({ ...base, buyerCountry: 'NO', buyerIsBusiness: true, supply: 'services' });
    expect(service).toEqual({
      category: 'O',
      rate: { scaled: 0n },
      exemptionReasonCode: 'VATEX-EU-O',
      exemptionReason: { sv: 'Tjänst utanför EU, ej föremål för svensk moms', en: 'Service outside the EU, not subject to Swedish VAT' },
      basis: 'non_eu_business_service',
    });
    const consumerService = determineVatTreatment({ ...base, buyerCountry: 'NO', supply: 'services', taxClass: 'reduced_6' });
    expect([consumerService.category, formatDecimal4(consumerService.rate), consumerService.basis]).toEqual([
      'S',
      '6',
      'non_eu_consumer_service',
    ]);
  });

  it('Northern Ireland: goods as EU (K with an XI number), services as the UK (O)', () => {
    expect(treat({ buyerCountry: 'XI', buyerIsBusiness: true, buyerVatNumber: 'XI123456789' })).toBe('K 0 VATEX-EU-IC');
    expect(treat({ buyerCountry: 'XI' })).toBe('S 25 -');
    expect(treat({ buyerCountry: 'XI', buyerIsBusiness: true, buyerVatNumber: 'XI123456789', supply: 'services' })).toBe('O 0 VATEX-EU-O');
  });

  it('exempt tax class: E with VATEX-EU-132 wherever the buyer is', () => {
    const expected = {
      category: 'E',
      rate: { scaled: 0n },
      exemptionReasonCode: 'VATEX-EU-132',
      exemptionReason: { sv: 'Momsfri', en: 'VAT exempt' },
      basis: 'exempt',
    };
    expect(determineVatTreatment({ ...base, taxClass: 'exempt' })).toEqual(expected);
    expect(determineVatTreatment({ ...base, taxClass: 'exempt', buyerCountry: 'DE', buyerIsBusiness: true, buyerVatNumber: 'DE123456789', supply: 'services' })).toEqual(expected);
    expect(determineVatTreatment({ ...base, taxClass: 'exempt', buyerCountry: 'US' })).toEqual(expected);
  });

  it('zero tax class: Z at home and to EU consumers, G on export', () => {
    expect(treat({ taxClass: 'zero' })).toBe('Z 0 -');
    expect(treat({ taxClass: 'zero', buyerCountry: 'DE' })).toBe('Z 0 -');
    expect(treat({ taxClass: 'zero', buyerCountry: 'US' })).toBe('G 0 VATEX-EU-G');
  });

  it('exemption reasons are the VATEX codes', () => {
    expect(Object.entries(EXEMPTION_REASONS).map(([k, v]) => `${k}:${v.code}`)).toEqual([
      'K:VATEX-EU-IC',
      'AE:VATEX-EU-AE',
      'G:VATEX-EU-G',
      'O:VATEX-EU-O',
      'E:VATEX-EU-132',
    ]);
  });

  it('validates the date and the buyer country', () => {
    expect(() => determineVatTreatment({ ...base, taxPointDate: '2026-4-1' })).toThrow(/YYYY-MM-DD/);
    expect(() => determineVatTreatment({ ...base, taxPointDate: '2011-12-31', buyerCountry: 'US' })).toThrow(/no VAT rate/);
    expect(() => determineVatTreatment({ ...base, buyerCountry: 'se' })).toThrow(/alpha-2/);
    expect(() => determineVatTreatment({ ...base, buyerCountry: 'SWE' })).toThrow(/alpha-2/);
    expect(() => determineVatTreatment({ ...base, sellerCountry: 'NO' as 'SE' })).toThrow(/Swedish sellers/);
  });
});
