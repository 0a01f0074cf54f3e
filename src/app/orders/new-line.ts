/** What every new order line starts with: nothing yet allocated, shipped, delivered, invoiced, cancelled, reserved, returned, replaced or credited. */
import { ZERO_D } from '../../core/money/quantity.js';

export const zeroRunningQuantities = () => ({
  quantityAllocated: ZERO_D,
  quantityShipped: ZERO_D,
  quantityDelivered: ZERO_D,
  quantityInvoiced: ZERO_D,
  netInvoicedMinor: 0n,
  quantityCancelled: ZERO_D,
  quantityReserved: ZERO_D,
  quantityReturned: ZERO_D,
  quantityReplacement: ZERO_D,
  quantityCredited: ZERO_D,
});
