/**
 * Pieces the quote and order pages share: running an action (busy, the API's error kept to show),
 * an error shown beside the field the API names, decimals typed the reader's way, and customer names.
 */
import { useCallback, useState, type ReactNode } from 'react';
import { api, ApiError, type Schemas } from '../api/client';
import { formatDecimal } from '../format';
import { useI18n } from '../i18n/i18n';
import type { MessageKey } from '../i18n/messages';
import './sales.css';

export type Quote = Schemas['Quote'];
export type Order = Schemas['Order'];
export type Customer = Schemas['Customer'];

/** Any failure as an ApiError, so every page shows one kind of message. */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError(0, 'unknown', error instanceof Error ? error.message : String(error), null, 'api_error');
}

/**
 * One action at a time on a page: `run(fn)` marks it busy, keeps the API's error (or clears it on
 * success) and returns fn's result, or undefined when it failed.
 */
export function useAction() {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const run = useCallback(async <T,>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(name);
    setError(null);
    try {
      return await fn();
    } catch (e) {
      setError(asApiError(e));
      return undefined;
    } finally {
      setBusy(null);
    }
  }, []);
  return { busy, error, setError, run };
}

/**
 * A decimal as the reader typed it, as the API reads it: "1 234,50" → "1234.50". Only separators
 * change; the digits go to the API as a string (never through a float), which refuses anything else.
 */
export function apiDecimal(typed: string): string {
  const s = typed.trim().replace(/[\s\u00a0\u202f]/g, '');
  return s.includes(',') && !s.includes('.') ? s.replace(',', '.') : s;
}

/** The error message for one field, with the id its input points at (aria-describedby). */
export function FieldError({ id, error }: { id: string; error: ApiError | null | undefined }) {
  if (!error) return null;
  return <p className="field-error" id={id}>{error.message}</p>;
}

/** The props that tie an input to its error. */
export function invalidProps(id: string, error: ApiError | null | undefined) {
  return error ? { 'aria-invalid': true as const, 'aria-describedby': id } : {};
}

/** An error that names no field on the page: at the top of the form, announced. */
export function FormError({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return <p className="form-error" role="alert">{error.message}</p>;
}

export function orderStatusKey(status: Order['status']): MessageKey {
  return `order.status.${status}`;
}

export function OrderStatusBadge({ status }: { status: Order['status'] }) {
  const { t } = useI18n();
  return <span className={`badge badge-order-${status}`}>{t(orderStatusKey(status))}</span>;
}

/** A decimal string ("2.5000" → "2,5" in Swedish), trailing zeros of the fraction dropped. */
export function Qty({ value }: { value: string | null | undefined }) {
  const { lang } = useI18n();
  if (value == null) return <>–</>;
  const trimmed = value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
  return <span className="qty">{formatDecimal(trimmed, lang)}</span>;
}

/** "25.0000" → "25 %" (Swedish "25 %", English "25%"). */
export function Percent({ value }: { value: string | null | undefined }) {
  const { lang } = useI18n();
  if (value == null) return <>–</>;
  const trimmed = value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value;
  return <>{formatDecimal(trimmed, lang)}{lang === 'sv' ? ' %' : '%'}</>;
}

/** The customers of a set of documents, each fetched once (a missing one shows its id). */
export async function customersOf(ids: string[], signal: AbortSignal): Promise<Map<string, Customer>> {
  const customers = new Map<string, Customer>();
  await Promise.all(
    [...new Set(ids)].map(async (id) => {
      try {
        customers.set(id, await api.get('/v1/customers/{id}', { path: { id }, signal }));
      } catch {
        // the id is shown instead of the name
      }
    }),
  );
  return customers;
}

/** A titled box of actions; nothing when the user may do none of them. */
export function ActionBar({ children, label }: { children: ReactNode; label: string }) {
  const items = (Array.isArray(children) ? children : [children]).filter((c) => c !== null && c !== false && c !== undefined);
  if (items.length === 0) return null;
  return (
    <div className="action-bar" role="group" aria-label={label}>
      {children}
    </div>
  );
}
