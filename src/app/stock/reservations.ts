/**
 * Stock for orders: reserving stock-tracked lines when an order is confirmed, releasing reservations
 * when lines are cancelled, and taking returned goods back into stock (or scrapping them).
 *
 * Placeholder signatures: the stock work fills these in; callers (order confirmation, cancellation,
 * amendments, claims) already call them.
 */
import type { ProductId } from '../../core/shared/ids.js';
import type { Quantity } from '../../core/money/quantity.js';
import type { OrderRecord, Store } from '../ports.js';
import type { Env } from '../shared/env.js';

/** Reserves what is still open on the order's stock-tracked lines, as far as stock is available. */
export async function reserveOrderStock(_s: Store, _env: Env, _order: OrderRecord): Promise<void> {}

/** Releases the reservations of the given lines (all lines when omitted) beyond what is still to ship. */
export async function releaseOrderStock(_s: Store, _env: Env, _order: OrderRecord, _lineNos?: readonly number[]): Promise<void> {}

export interface ReturnReceipt {
  productId: ProductId;
  quantity: Quantity;
  /** The warehouse the goods came back to; the default warehouse when null. */
  warehouseId: string | null;
  disposition: 'restock' | 'scrap';
  /** The claim (RMA) the goods came back under. */
  referenceId: string;
}

/** Books returned goods of a stock-tracked product back into stock, or as scrapped. */
export async function receiveReturnedStock(_s: Store, _env: Env, _r: ReturnReceipt): Promise<void> {}
