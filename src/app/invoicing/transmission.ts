/**
 * Port: sending an e-invoice to the buyer (a Peppol access point, or a folder an access point picks
 * files up from). The use case hands over the finished UBL document and the buyer's electronic
 * address; the transmitter says how it can be traced. Implementations live in src/integrations/peppol.
 */
import type { InvoiceId } from '../../core/shared/ids.js';

/** The receiver's electronic address: EAS scheme ('0007' Swedish org.nr, '9930' DE VAT …) and identifier. */
export interface EInvoiceReceiver {
  readonly scheme: string;
  readonly id: string;
}

export interface EInvoiceToSend {
  readonly invoiceId: InvoiceId;
  /** the invoice number (BT-1) */
  readonly number: string;
  /** the Peppol BIS 3 UBL document, as toUbl wrote it */
  readonly xml: string;
  readonly receiver: EInvoiceReceiver;
}

export interface EInvoiceTransmitter {
  /** Hands the document over; resolves once it is durably accepted, with an id to trace it by. */
  send(doc: EInvoiceToSend): Promise<{ transmissionId: string }>;
}
