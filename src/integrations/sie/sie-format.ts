/**
 * What the SIE 4 writer and reader share: the PC8 (CP437) character set, amounts in major units from
 * bigint minor units, string quoting and the #KSUMMA checksum.
 *
 * #KSUMMA (SIE 4B, section on checksums): a CRC-32 (the common polynomial 0xEDB88320, as zlib's) over
 * every post between the opening `#KSUMMA` (no field) and the closing `#KSUMMA <checksum>`. What is
 * summed of each post is its label followed by the contents of its fields: no field separators (spaces,
 * tabs), no line breaks, no quotes around strings and no braces around object lists (the fields inside
 * an object list are summed). The bytes are the file's PC8 bytes. This rule reproduces the checksum of
 * ../shared/samples/sie/Norstedts_Bokslut_SIE_4I.si (1573150874); the test in sie-reader.test.ts pins it.
 */
import CRC32 from 'crc-32';
import iconv from 'iconv-lite';

export const SIE_ENCODING = 'cp437';

export function encodePc8(text: string): Buffer {
  return iconv.encode(text, SIE_ENCODING);
}

/** The running CRC-32 of a #KSUMMA block; `update` takes one post's summed content (label + field contents). */
export class SieChecksum {
  private crc = 0;
  update(content: string): void {
    this.crc = CRC32.buf(encodePc8(content), this.crc);
  }
  /** The checksum as the unsigned 32-bit number written after the closing #KSUMMA. */
  get unsigned(): number {
    return this.crc >>> 0;
  }
  /** True when `written` (signed or unsigned 32-bit form) is this checksum. */
  matches(written: bigint): boolean {
    return written === BigInt(this.crc >>> 0) || written === BigInt(this.crc | 0);
  }
}

/**
 * Amount in major units with `exponent` decimals, from minor units: 125000n → "1250.00", -50n → "-0.50".
 * Exact (string arithmetic on the bigint), never through a float.
 */
export function formatSieAmount(minor: bigint, exponent = 2): string {
  const negative = minor < 0n;
  const digits = (negative ? -minor : minor).toString().padStart(exponent + 1, '0');
  const integer = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${negative ? '-' : ''}${integer}${exponent > 0 ? `.${fraction}` : ''}`;
}

/**
 * Minor units from a SIE amount ("1063", "-212.5", "8000.00", "+3.10"; a decimal comma is tolerated).
 * Digits beyond `exponent` must be zeros; anything else is not an amount (null).
 */
export function parseSieAmount(text: string, exponent = 2): bigint | null {
  const m = /^([+-]?)(\d*)(?:[.,](\d*))?$/.exec(text);
  if (m === null) return null;
  const [, sign, intPart = '', fracPart = ''] = m;
  if (intPart === '' && fracPart === '') return null;
  if (fracPart.length > exponent && !/^0*$/.test(fracPart.slice(exponent))) return null;
  const minor = BigInt((intPart === '' ? '0' : intPart) + fracPart.slice(0, exponent).padEnd(exponent, '0'));
  return sign === '-' ? -minor : minor;
}

/** A text as a quoted SIE field: control characters become spaces, `\` and `"` are escaped. */
export function quoteSie(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return `"${clean.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** 'YYYY-MM-DD' → 'YYYYMMDD'. */
export function sieDate(d: string): string {
  return d.replaceAll('-', '');
}

/** 'YYYYMMDD' → 'YYYY-MM-DD', or null when it is not a date. */
export function isoFromSieDate(d: string): string | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(d);
  if (m === null) return null;
  const [, y, mo, da] = m;
  const month = Number(mo);
  const day = Number(da);
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return `${y}-${mo}-${da}`;
}

/** BAS: accounts 1xxx-2xxx are balance sheet accounts (#IB/#UB), 3xxx-8xxx result accounts (#RES). */
export function isBalanceAccount(account: string): boolean {
  return account.startsWith('1') || account.startsWith('2');
}
