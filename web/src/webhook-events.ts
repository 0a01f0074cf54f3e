/**
 * The event types the server emits, for the webhook settings' picker: a copy of src/app/webhooks/endpoints.ts
 * WEBHOOK_EVENT_TYPES (the web app talks to the server over HTTP only; the server checks them);
 * test/browser/web-permissions.test.ts fails when the two differ.
 */
export const WEBHOOK_EVENT_TYPES = [
  'quote.sent', 'quote.accepted', 'quote.declined', 'quote.expired', 'quote.approved', 'quote.approval_requested',
  'order.created', 'order.confirmed', 'order.on_hold', 'order.amended', 'order.closed',
  'delivery.shipped', 'delivery.delivered', 'delivery.accepted', 'delivery.disputed',
  'claim.reported', 'claim.resolved', 'claim.rejected',
  'invoice.issued', 'invoice.sent', 'invoice.overdue', 'invoice.paid', 'invoice.written_off', 'write_off.approval_requested',
  'credit_note.issued', 'payment.received', 'payment.applied', 'payment.unapplied', 'payment.returned', 'refund.created',
  'reminder.sent', 'customer.created', 'customer.updated', 'journal_entry.posted', 'journal_entry.reversed',
  'books.periods_closed', 'books.fiscal_year_closed', 'webhook_endpoint.disabled',
] as const;
