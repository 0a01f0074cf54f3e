/**
 * The shape of the yearly document numbers that are not invoices: "<prefix>-<year>-<sequence>" with
 * the sequence zero-padded (Q-2026-0001 quotes, SO-2026-0001 orders, DN-2026-0001 delivery notes,
 * CLM-2026-0001 claims, RMA-2026-0001 returns). The sequence comes from the series "<prefix>-<year>".
 */
export const YEARLY_NUMBER_DIGITS = 4;

export const yearlyNumber = (prefix: string, year: number, seq: bigint, digits = YEARLY_NUMBER_DIGITS): string =>
  `${prefix}-${year}-${seq.toString().padStart(digits, '0')}`;
