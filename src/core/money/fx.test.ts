import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DomainError } from '../shared/errors.js';
import { convert, convertParts, FX_ROUNDING, formatRate, identityRate, parseRate, RATE_DIGITS, RATE_SCALE, type ExchangeRate } from './fx.js';
import { formatAmount, money } from './money.js';

const rate = (base: string, quote: string, text: string): ExchangeRate => ({ base, quote, scaled: parseRate(text, 'rate') });

function refusal(value: unknown): DomainError {
  try {
    parseRate(value, 'rate');
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    return e as DomainError;
  }
  throw new Error(`expected parseRate(${String(value)}) to refuse`);
}

describe('parseRate / formatRate', () => {
  it('reads exact decimals scaled by 10^10', () => {
    expect(RATE_DIGITS).toBe(10);
    expect(parseRate('11.4325', 'rate')).toBe(114_325_000_000n); // 11.4325 × 10^10
    expect(parseRate('1', 'rate')).toBe(RATE_SCALE);
    expect(parseRate('0.0000000001', 'rate')).toBe(1n); // the smallest rate: 10 decimals
    expect(parseRate('11.4325000000', 'rate')).toBe(114_325_000_000n); // numeric(28,10) text from the database
  });

  it('refuses a comma, a negative, zero, 11 decimals and non-strings, naming the field', () => {
    const comma = refusal('11,4325');
    expect(comma.code).toBe('validation_failed');
    expect(comma.param).toBe('rate');
    expect(comma.message).toMatch(/'\.' as the decimal separator/);
    expect(refusal('-11.4325').message).toBe('must be greater than zero');
    expect(refusal('0').message).toBe('must be greater than zero');
    expect(refusal('0.0000000000').message).toBe('must be greater than zero');
    expect(refusal('1.00000000001').message).toBe('must have at most 10 decimals');
    expect(refusal(11.4325).message).toMatch(/decimal string/);
    expect(refusal(null).message).toMatch(/decimal string/);
    expect(refusal('').message).toBe('must not be empty');
    expect(refusal('100000000').message).toBe('is too large'); // 10^8 × 10^10 = 10^18
    expect(parseRate('99999999.9999999999', 'rate')).toBe(10n ** 18n - 1n);
  });

  it('formats without trailing zeros and round-trips', () => {
    expect(formatRate(114_325_000_000n)).toBe('11.4325');
    expect(formatRate(RATE_SCALE)).toBe('1');
    expect(formatRate(1n)).toBe('0.0000000001');
    expect(formatRate(874_715_000n)).toBe('0.0874715');
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 18n - 1n }), (scaled) => {
        expect(parseRate(formatRate(scaled), 'rate')).toBe(scaled);
      }),
    );
  });
});

describe('convert', () => {
  it('rounds half up (FX_ROUNDING)', () => {
    expect(FX_ROUNDING).toBe('half_up');
  });

  it('EUR → SEK: 1 234.56 EUR × 11.4325 = 14 114.1072 → 14 114.11 SEK', () => {
    // 1234.56 × 11 = 13 580.16; 1234.56 × 0.4325 = 493.824 + 40.1232 = 533.9472; sum 14 114.1072 SEK
    // = 1 411 410.72 öre, .72 > .5 → 1 411 411 öre
    const out = convert(money(123_456n, 'EUR'), rate('EUR', 'SEK', '11.4325'));
    expect(out).toEqual(money(1_411_411n, 'SEK'));
    expect(formatAmount(out)).toBe('14114.11');
  });

  it('JPY (no minor unit) → SEK: 12 345 JPY × 0.06915 = 853.65675 → 853.66 SEK', () => {
    // 12 345 × 0.07 = 864.15; 12 345 × 0.00085 = 10.49325; 864.15 − 10.49325 = 853.65675 SEK
    // = 85 365.675 öre → 85 366
    expect(convert(money(12_345n, 'JPY'), rate('JPY', 'SEK', '0.06915'))).toEqual(money(85_366n, 'SEK'));
    // and back to JPY: 100.00 SEK × 14.46 = 1 446 JPY exactly
    expect(convert(money(10_000n, 'SEK'), rate('SEK', 'JPY', '14.46'))).toEqual(money(1_446n, 'JPY'));
    // 1.00 SEK × 14.465 = 14.465 JPY → 14 (.465 < .5)
    expect(convert(money(100n, 'SEK'), rate('SEK', 'JPY', '14.465'))).toEqual(money(14n, 'JPY'));
  });

  it('SEK → EUR with a rate below 1: 14 114.11 SEK × 0.0874715 = 1 234.582372865 → 1 234.58 EUR', () => {
    // 14 114.11 × 0.0874715: 14 114.11 × 0.08 = 1 129.1288; × 0.007 = 98.79877; × 0.0004715 = 6.654802865
    // sum 1 234.582372865 EUR = 123 458.2372865 cent → 123 458
    expect(convert(money(1_411_411n, 'SEK'), rate('SEK', 'EUR', '0.0874715'))).toEqual(money(123_458n, 'EUR'));
  });

  it('SEK → KWD (3 decimals): 150.00 SEK × 0.0291234 = 4.36851 → 4.369 KWD', () => {
    // 150 × 0.0291234 = 4.36851 KWD = 4 368.51 fils → 4 369
    expect(convert(money(15_000n, 'SEK'), rate('SEK', 'KWD', '0.0291234'))).toEqual(money(4_369n, 'KWD'));
  });

  it('breaks ties away from zero, for positive and negative amounts', () => {
    // 0.01 EUR × 0.5 = 0.005 SEK = 0.5 öre → 1 öre; −0.01 EUR → −1 öre
    expect(convert(money(1n, 'EUR'), rate('EUR', 'SEK', '0.5'))).toEqual(money(1n, 'SEK'));
    expect(convert(money(-1n, 'EUR'), rate('EUR', 'SEK', '0.5'))).toEqual(money(-1n, 'SEK'));
    // 1.23 EUR × 1.5 = 1.845 SEK = 184.5 öre → 185; −1.23 → −185
    expect(convert(money(123n, 'EUR'), rate('EUR', 'SEK', '1.5'))).toEqual(money(185n, 'SEK'));
    expect(convert(money(-123n, 'EUR'), rate('EUR', 'SEK', '1.5'))).toEqual(money(-185n, 'SEK'));
    // just below a tie: 1.23 × 1.4999999999 = 1.844999999877 → 184 öre
    expect(convert(money(123n, 'EUR'), rate('EUR', 'SEK', '1.4999999999'))).toEqual(money(184n, 'SEK'));
    expect(convert(money(-123n, 'EUR'), rate('EUR', 'SEK', '1.4999999999'))).toEqual(money(-184n, 'SEK'));
  });

  it('keeps the amount under the identity rate and refuses an amount in another currency than the rate', () => {
    expect(convert(money(12_345n, 'SEK'), identityRate('SEK'))).toEqual(money(12_345n, 'SEK'));
    expect(() => convert(money(100n, 'USD'), rate('EUR', 'SEK', '11'))).toThrow(/amount in USD, rate from EUR/);
  });

  it('is monotone: a larger amount never converts to less', () => {
    const currencies = ['SEK', 'EUR', 'JPY', 'KWD'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies),
        fc.constantFrom(...currencies),
        fc.bigInt({ min: 1n, max: 10n ** 14n }),
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        (from, to, scaled, a, d) => {
          const r: ExchangeRate = { base: from, quote: to, scaled };
          const x = convert(money(a, from), r);
          const y = convert(money(a + d, from), r);
          expect(y.minor >= x.minor).toBe(true);
        },
      ),
    );
  });
});

describe('convertParts', () => {
  it('allocates the converted whole over the parts so they sum to it', () => {
    // three parts of 0.01 EUR at 11.4325: the whole 0.03 EUR = 0.342975 SEK → 34 öre; each part alone
    // would be 0.114325 SEK → 11 öre, 33 in all: one öre short. Allocated: 12 + 11 + 11 = 34.
    const r = rate('EUR', 'SEK', '11.4325');
    const parts = [money(1n, 'EUR'), money(1n, 'EUR'), money(1n, 'EUR')];
    const out = convertParts(money(3n, 'EUR'), parts, r);
    expect(out.whole).toEqual(money(34n, 'SEK'));
    expect(out.parts).toEqual([money(12n, 'SEK'), money(11n, 'SEK'), money(11n, 'SEK')]);
    expect(parts.map((p) => convert(p, r).minor).reduce((a, b) => a + b, 0n)).toBe(33n);
  });

  it('refuses parts that do not sum to the whole, negative parts and parts in another currency', () => {
    const r = rate('EUR', 'SEK', '11');
    expect(() => convertParts(money(10n, 'EUR'), [money(4n, 'EUR'), money(5n, 'EUR')], r)).toThrow(/sum to 9/);
    expect(() => convertParts(money(10n, 'EUR'), [money(11n, 'EUR'), money(-1n, 'EUR')], r)).toThrow(/negative part/);
    expect(() => convertParts(money(10n, 'EUR'), [money(10n, 'SEK')], r)).toThrow(/another currency/);
    expect(convertParts(money(0n, 'EUR'), [money(0n, 'EUR'), money(0n, 'EUR')], r).parts).toEqual([money(0n, 'SEK'), money(0n, 'SEK')]);
  });

  it('property: the converted parts always sum to the converted whole, each within one minor unit of its own conversion', () => {
    const currencies = ['SEK', 'EUR', 'JPY', 'KWD'] as const;
    fc.assert(
      fc.property(
        fc.constantFrom(...currencies),
        fc.constantFrom(...currencies),
        fc.bigInt({ min: 1n, max: 10n ** 14n }),
        fc.array(fc.bigInt({ min: 0n, max: 10n ** 12n }), { minLength: 1, maxLength: 12 }),
        (from, to, scaled, minors) => {
          const r: ExchangeRate = { base: from, quote: to, scaled };
          const parts = minors.map((m) => money(m, from));
          const whole = money(minors.reduce((a, b) => a + b, 0n), from);
          const out = convertParts(whole, parts, r);
          expect(out.whole).toEqual(convert(whole, r));
          expect(out.parts.reduce((a, p) => a + p.minor, 0n)).toBe(out.whole.minor);
          out.parts.forEach((p, i) => {
            expect(p.currency).toBe(to);
            const alone = convert(parts[i]!, r).minor;
            const diff = p.minor - alone;
            // |allocated − exact share| < 1 and |own conversion − exact| ≤ ½, |whole error| × share ≤ ½: < 2, so ≤ 1
            expect(diff <= 1n && diff >= -1n).toBe(true);
          });
        },
      ),
    );
  });
});
