/**
 * Numbers, money and dates in the reader's locale. Money arrives as a decimal string
 * (`{ amount: "1234.50", currency: "SEK" }`) and is never turned into a float: the integer part is
 * formatted as a BigInt (grouping in the locale's way) and the fraction digits are kept as they came,
 * placed where the locale's currency pattern puts the number.
 */

export type Lang = 'sv' | 'en';

export interface Money {
  amount: string;
  currency: string;
}

/** The BCP 47 locale of each UI language: Swedish as in Sweden, English with day-month-year dates. */
export const LOCALES: Record<Lang, string> = { sv: 'sv-SE', en: 'en-GB' };

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

const currencyFormats = new Map<string, Intl.NumberFormat>();
function currencyFormat(locale: string, currency: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let nf = currencyFormats.get(key);
  if (nf === undefined) {
    nf = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: 'code', minimumFractionDigits: 0, maximumFractionDigits: 0 });
    currencyFormats.set(key, nf);
  }
  return nf;
}

/** The locale's decimal separator ("," in Swedish, "." in English). */
function decimalSeparator(locale: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value ?? '.';
}

/** The minor-unit digits of a currency (2 for SEK and EUR, 0 for JPY). */
function fractionDigits(locale: string, currency: string): number {
  return new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/**
 * "1234.50" SEK → "1 234,50 kr" (sv-SE) or "SEK 1,234.50" (en-GB). Swedish shows "kr" for SEK (the way
 * Swedes write it) and the ISO code for other currencies; English always shows the code.
 */
export function formatMoney(money: Money, lang: Lang): string {
  const m = DECIMAL.exec(money.amount);
  if (m === null) throw new Error(`Not a decimal amount: ${JSON.stringify(money.amount)}`);
  const [, minus, whole = '0', given = ''] = m;
  const locale = LOCALES[lang];
  const digits = fractionDigits(locale, money.currency);
  const fraction = given.padEnd(digits, '0');
  const negative = minus !== undefined && /[1-9]/.test(whole + fraction);
  // the locale's pattern for this sign, with "1" standing for the number
  const template = currencyFormat(locale, money.currency).formatToParts(negative ? -1n : 1n);
  const grouped = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(BigInt(whole));
  const number = fraction === '' ? grouped : `${grouped}${decimalSeparator(locale)}${fraction}`;
  return template
    .map((p) => {
      if (p.type === 'integer') return number;
      if (p.type === 'currency' && lang === 'sv' && p.value === 'SEK') return 'kr';
      return p.value;
    })
    .join('');
}

/** A plain number or a decimal string ("12.5" → "12,5" in Swedish), without going through a float for strings. */
export function formatDecimal(value: string | number, lang: Lang): string {
  const locale = LOCALES[lang];
  if (typeof value === 'number') return new Intl.NumberFormat(locale).format(value);
  const m = DECIMAL.exec(value);
  if (m === null) return value;
  const [, minus, whole = '0', fraction = ''] = m;
  const grouped = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(BigInt(whole));
  const sign = minus !== undefined ? new Intl.NumberFormat(locale).formatToParts(-1).find((p) => p.type === 'minusSign')?.value ?? '-' : '';
  return fraction === '' ? `${sign}${grouped}` : `${sign}${grouped}${decimalSeparator(locale)}${fraction}`;
}

/** A calendar date ("2026-12-05") or an instant, as a date in the locale (5 dec. 2026 / 5 Dec 2026). */
export function formatDate(value: string, lang: Lang): string {
  // a bare date is a calendar day, not midnight UTC: format it in UTC so it never shifts a day
  const isDay = /^\d{4}-\d{2}-\d{2}$/.test(value);
  const date = new Date(isDay ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: 'medium', ...(isDay ? { timeZone: 'UTC' } : {}) }).format(date);
}

/** Minor units of a decimal amount as a BigInt ("1234.50" → 123450n), for sums and chart proportions. */
export function minorUnits(amount: string, digits = 2): bigint {
  const m = DECIMAL.exec(amount);
  if (m === null) throw new Error(`Not a decimal amount: ${JSON.stringify(amount)}`);
  const [, minus, whole = '0', fraction = ''] = m;
  if (fraction.length > digits) throw new Error(`${amount} has more than ${digits} decimals`);
  const v = BigInt(whole + fraction.padEnd(digits, '0'));
  return minus !== undefined ? -v : v;
}

/** Quantities are compared and subtracted as integers scaled by 10^4 (the API's four decimals), never floats. */
export const QUANTITY_SCALE = 4;

/** "12.5" → 125000n (at most four decimals: more are cut off, as the API never sends them). */
export function scaledQuantity(q: string): bigint {
  const [whole = '0', fraction = ''] = q.replace(/^-/, '').split('.');
  const v = BigInt(whole + fraction.padEnd(QUANTITY_SCALE, '0').slice(0, QUANTITY_SCALE));
  return q.startsWith('-') ? -v : v;
}

/** 125000n → "12.5": the API's decimal form, trailing zeros dropped. */
export function unscaledQuantity(v: bigint): string {
  const neg = v < 0n;
  const s = (neg ? -v : v).toString().padStart(QUANTITY_SCALE + 1, '0');
  const out = `${s.slice(0, -QUANTITY_SCALE)}.${s.slice(-QUANTITY_SCALE)}`.replace(/0+$/, '').replace(/\.$/, '');
  return neg ? `-${out}` : out;
}
