/**
 * Kysely table typings for src/db/migrations/*.sql, with columns typed as the drivers return them
 * (see connection.ts): int8 → bigint, numeric → string, date → 'YYYY-MM-DD' string,
 * timestamptz → Date, jsonb → unknown (written as JSON text, so bigint inside JSON is safe).
 * Columns with a database default are Generated<> (optional on insert).
 */
import type { ColumnType } from 'kysely';

/** int8: read as bigint; written from bigint (or a safe integer number). */
export type Int8 = ColumnType<bigint, bigint | number, bigint | number>;
/** numeric: read as exact decimal text; written from text ("2.5000", core toDb). */
export type Numeric = string;
/** date: 'YYYY-MM-DD'. */
export type DateText = string;
/** timestamptz: read as Date; written from a Date (or an ISO string). */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb: read as the parsed value; written as JSON text (repositories/shared.ts toJson). */
export type Json = ColumnType<unknown, string, string>;

/** A column with a database default: optional on insert. Works on plain types and on ColumnTypes. */
export type Generated<T> =
  [T] extends [ColumnType<infer S, infer I, infer U>] ? ColumnType<S, I | undefined, U> : ColumnType<T, T | undefined, T>;

export interface TenantsTable {
  id: string;
  name: string;
  org_number: string | null;
  vat_number: string | null;
  base_currency: Generated<string>;
  country: Generated<string>;
  bankgiro: string | null;
  iban: string | null;
  bic: string | null;
  f_skatt: Generated<boolean>;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  email: string | null;
  phone: string | null;
  logo_png: Uint8Array | null;
  credit_hold_overdue_days: number | null;
  allow_negative_stock: Generated<boolean>;
  review_window_days: Generated<number>;
  payment_reference_kind: Generated<string>;
  ocr_control: Generated<string>;
  ocr_lengths: number[] | null;
  /** 'per_order' | 'per_customer' (migration 2860). */
  billing_grouping: Generated<string>;
  created_at: Generated<Timestamp>;
}

export interface ApiKeysTable {
  tenant_id: string;
  id: string;
  name: string;
  key_hash: string;
  key_prefix: string;
  role: Generated<string>;
  created_at: Generated<Timestamp>;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  platform_admin: Generated<boolean>;
}

export interface NumberSeriesTable {
  tenant_id: string;
  series_key: string;
  next_value: Generated<Int8>;
}

export interface CustomersTable {
  tenant_id: string;
  id: string;
  name: string;
  email: string | null;
  country: string;
  currency: string;
  org_number: string | null;
  vat_number: string | null;
  payment_terms_days: number;
  address_line1: string | null;
  address_line2: string | null;
  postal_code: string | null;
  city: string | null;
  customer_group: string | null;
  credit_limit_minor: Int8 | null;
  created_at: Generated<Timestamp>;
}

export interface ProductsTable {
  tenant_id: string;
  id: string;
  sku: string;
  name: string;
  unit: string;
  tax_class: string;
  active: Generated<boolean>;
  group_id: string | null;
  unit_cost_minor: Int8 | null;
  bundle_pricing: string | null;
  bundle_display: string | null;
  kind: Generated<string>;
  stock_tracked: Generated<boolean>;
  created_at: Generated<Timestamp>;
}

export interface ProductComponentsTable {
  tenant_id: string;
  bundle_id: string;
  position: number;
  component_id: string;
  quantity: Numeric;
}

export interface ProductGroupsTable {
  tenant_id: string;
  id: string;
  name: string;
  created_at: Generated<Timestamp>;
}

export interface PriceListsTable {
  tenant_id: string;
  id: string;
  name: string;
  currency: string;
  customer_group: string | null;
  valid_from: DateText | null;
  valid_to: DateText | null;
  created_at: Generated<Timestamp>;
}

export interface PriceListPricesTable {
  tenant_id: string;
  price_list_id: string;
  product_id: string;
  unit_price_minor: Int8 | null;
  tier_mode: string | null;
  tiers: Json | null;
}

export interface CustomerPricesTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  product_id: string;
  currency: string;
  unit_price_minor: Int8;
  valid_from: DateText | null;
  valid_to: DateText | null;
  created_at: Generated<Timestamp>;
}

export interface ProductPricesTable {
  tenant_id: string;
  product_id: string;
  currency: string;
  unit_price_minor: Int8;
  updated_at: Generated<Timestamp>;
}

/** Columns shared by quote, order and invoice lines (the frozen priced line). */
interface PricedLineColumns {
  tenant_id: string;
  line_no: number;
  product_id: string | null;
  description: string;
  quantity: Numeric;
  unit: string;
  unit_price_minor: Int8;
  gross_amount_minor: Int8;
  discount_amount_minor: Int8;
  net_amount_minor: Int8;
  vat_rate: Numeric;
  vat_category: string;
}

export interface QuotesTable {
  tenant_id: string;
  id: string;
  number: string;
  version: Generated<number>;
  root_id: string;
  previous_version_id: string | null;
  customer_id: string;
  currency: string;
  status: string;
  quote_date: DateText;
  valid_until: DateText;
  payment_terms_days: number;
  notes: string | null;
  net_total_minor: Generated<Int8>;
  vat_total_minor: Generated<Int8>;
  gross_total_minor: Generated<Int8>;
  quote_discount_kind: string | null;
  quote_discount_percent: Numeric | null;
  quote_discount_amount_minor: Int8 | null;
  quote_discount_minor: Generated<Int8>;
  cost_total_minor: Int8 | null;
  margin_minor: Int8 | null;
  sent_at: Timestamp | null;
  accepted_at: Timestamp | null;
  declined_reason: string | null;
  declined_at: Timestamp | null;
  expired_at: Timestamp | null;
  superseded_at: Timestamp | null;
  created_at: Generated<Timestamp>;
}

export interface QuoteLinesTable extends PricedLineColumns {
  quote_id: string;
  line_key: string;
  discount_percent: Generated<Numeric>;
  tax_class: string;
  line_discount_kind: string | null;
  line_discount_minor: Generated<Int8>;
  quote_discount_minor: Generated<Int8>;
  optional: Generated<boolean>;
  selected: Generated<boolean>;
  unit_cost_minor: Int8 | null;
  cost_minor: Int8 | null;
  trail: Generated<Json>;
  bundle: Json | null;
}

export interface OrdersTable {
  tenant_id: string;
  id: string;
  number: string;
  quote_id: string;
  customer_id: string;
  currency: string;
  status: string;
  order_date: DateText;
  payment_terms_days: number;
  net_total_minor: Int8;
  vat_total_minor: Int8;
  gross_total_minor: Int8;
  confirmed_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  version: Generated<number>;
  hold_reason: string | null;
  held_at: Timestamp | null;
  released_at: Timestamp | null;
  released_by: string | null;
  customer_confirmed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  closed_at: Timestamp | null;
}

export interface OrderLinesTable extends PricedLineColumns {
  order_id: string;
  discount_percent: Numeric;
  tax_class: string;
  quantity_allocated: Generated<Numeric>;
  quantity_shipped: Generated<Numeric>;
  quantity_delivered: Generated<Numeric>;
  quantity_invoiced: Generated<Numeric>;
  net_invoiced_minor: Generated<Int8>;
  bundle: Json | null;
  quantity_cancelled: Generated<Numeric>;
  quantity_reserved: Generated<Numeric>;
  quantity_returned: Generated<Numeric>;
  quantity_replacement: Generated<Numeric>;
  quantity_credited: Generated<Numeric>;
  invoicing_policy: Generated<string>;
  fulfilment_kind: Generated<string>;
  stock_tracked: Generated<boolean>;
  added_in_version: Generated<number>;
}

export interface DeliveriesTable {
  tenant_id: string;
  id: string;
  number: string;
  order_id: string;
  status: string;
  carrier: string | null;
  tracking_number: string | null;
  shipped_at: Timestamp | null;
  delivered_at: Timestamp | null;
  delivered_on: DateText | null;
  created_at: Generated<Timestamp>;
  kind: Generated<string>;
  warehouse_id: string | null;
  claim_id: string | null;
  picked_at: Timestamp | null;
  packed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  proof: string | null;
  review_status: string | null;
  reviewed_at: Timestamp | null;
}

export interface DeliveryLinesTable {
  tenant_id: string;
  delivery_id: string;
  line_no: number;
  order_id: string;
  order_line_no: number;
  quantity: Numeric;
  hours: Numeric | null;
}

export interface OrderVersionsTable {
  tenant_id: string;
  order_id: string;
  version: number;
  lines: Json;
  net_total_minor: Int8;
  vat_total_minor: Int8;
  gross_total_minor: Int8;
  changes: Generated<Json>;
  reason: string | null;
  created_at: Generated<Timestamp>;
  confirmed_at: Timestamp | null;
  confirmed_by: string | null;
}

export interface OrderChangeRequestsTable {
  tenant_id: string;
  id: string;
  order_id: string;
  version: number;
  comment: string;
  created_at: Generated<Timestamp>;
}

export interface WarehousesTable {
  tenant_id: string;
  id: string;
  code: string;
  name: string;
  is_default: Generated<boolean>;
  created_at: Generated<Timestamp>;
}

export interface StockLevelsTable {
  tenant_id: string;
  warehouse_id: string;
  product_id: string;
  on_hand: Generated<Numeric>;
  reserved: Generated<Numeric>;
  updated_at: Generated<Timestamp>;
}

export interface StockReservationsTable {
  tenant_id: string;
  warehouse_id: string;
  product_id: string;
  order_id: string;
  order_line_no: number;
  quantity: Numeric;
}

export interface StockMovementsTable {
  tenant_id: string;
  id: string;
  warehouse_id: string;
  product_id: string;
  kind: string;
  quantity: Numeric;
  on_hand_delta: Numeric;
  reserved_delta: Numeric;
  reference_type: string;
  reference_id: string;
  reason: string | null;
  created_at: Generated<Timestamp>;
}

export interface ClaimsTable {
  tenant_id: string;
  id: string;
  number: string;
  order_id: string;
  order_line_no: number;
  delivery_id: string;
  delivery_line_no: number;
  reason: string;
  quantity: Numeric;
  description: string;
  status: string;
  resolutions: Generated<Json>;
  rejection_reason: string | null;
  reported_by: string;
  reported_at: Timestamp;
  closed_at: Timestamp | null;
}

export interface ClaimPhotosTable {
  tenant_id: string;
  id: string;
  claim_id: string;
  content_type: string;
  bytes: Uint8Array;
  created_at: Generated<Timestamp>;
}

export interface CreditRequestsTable {
  tenant_id: string;
  id: string;
  claim_id: string;
  order_id: string;
  order_line_no: number;
  kind: string;
  quantity: Numeric | null;
  currency: string;
  net_minor: Int8;
  vat_rate: Numeric;
  status: Generated<string>;
  created_at: Generated<Timestamp>;
}

export interface DocumentPortalLinksTable {
  tenant_id: string;
  id: string;
  subject_type: string;
  subject_id: string;
  token_hash: string;
  expires_on: DateText;
  revoked_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  last_viewed_at: Timestamp | null;
}

export interface InvoicesTable {
  tenant_id: string;
  id: string;
  series: string;
  number: string | null;
  status: string;
  /** Null on an invoice of several orders (migration 2860): its lines name their orders. */
  order_id: string | null;
  customer_id: string;
  currency: string;
  issue_date: DateText | null;
  due_date: DateText | null;
  delivery_date: DateText | null;
  payment_terms_days: number;
  payment_reference: string | null;
  net_total_minor: Int8;
  vat_total_minor: Int8;
  gross_total_minor: Int8;
  seller: Json | null;
  buyer: Json;
  issued_at: Timestamp | null;
  created_at: Generated<Timestamp>;
}

export interface InvoiceLinesTable extends PricedLineColumns {
  invoice_id: string;
  order_id: string;
  order_line_no: number;
  discount_percent: Numeric;
}

export interface InvoiceVatBreakdownTable {
  tenant_id: string;
  invoice_id: string;
  vat_category: string;
  vat_rate: Numeric;
  taxable_minor: Int8;
  vat_minor: Int8;
}

export interface ArOpenItemsTable {
  tenant_id: string;
  id: string;
  customer_id: string;
  invoice_id: string;
  currency: string;
  document_date: DateText;
  due_date: DateText;
  original_minor: Int8;
  open_minor: Int8;
  created_at: Generated<Timestamp>;
}

export interface PaymentsTable {
  tenant_id: string;
  id: string;
  customer_id: string | null;
  currency: string;
  amount_minor: Int8;
  unapplied_minor: Int8;
  received_on: DateText;
  payer_name: string | null;
  payer_account: string | null;
  reference_text: string | null;
  matched_invoice_id: string | null;
  match_method: string | null;
  created_at: Generated<Timestamp>;
}

export interface PaymentAllocationsTable {
  tenant_id: string;
  id: string;
  payment_id: string;
  open_item_id: string;
  invoice_id: string;
  amount_minor: Int8;
  applied_on: DateText;
  created_at: Generated<Timestamp>;
}

export interface JournalEntriesTable {
  tenant_id: string;
  id: string;
  series: string;
  fiscal_year: number;
  number: number;
  entry_date: DateText;
  description: string;
  source_type: string;
  source_id: string;
  reverses_entry_id: string | null;
  created_at: Generated<Timestamp>;
}

export interface JournalLinesTable {
  tenant_id: string;
  entry_id: string;
  line_no: number;
  account: string;
  currency: string;
  debit_minor: Int8;
  credit_minor: Int8;
  customer_id: string | null;
}

export interface AuditLogTable {
  tenant_id: string;
  id: string;
  occurred_at: Generated<Timestamp>;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  data: Json | null;
}

export interface OutboxTable {
  tenant_id: string;
  id: string;
  event_type: string;
  payload: Json;
  created_at: Generated<Timestamp>;
  published_at: Timestamp | null;
}

export interface IdempotencyKeysTable {
  tenant_id: string;
  key: string;
  request_hash: string;
  status: string;
  response_status: number | null;
  response_body: Json | null;
  locked_at: Generated<Timestamp>;
  completed_at: Timestamp | null;
}

export interface QuotePortalLinksTable {
  tenant_id: string;
  id: string;
  quote_id: string;
  token_hash: string;
  expires_on: DateText;
  revoked_at: Timestamp | null;
  created_at: Generated<Timestamp>;
  last_viewed_at: Timestamp | null;
}

export interface QuoteAcceptancesTable {
  tenant_id: string;
  id: string;
  quote_id: string;
  order_id: string;
  signer_name: string;
  consent: boolean;
  ip: string | null;
  user_agent: string | null;
  content_hash: string;
  selected_optional_line_keys: Generated<Json>;
  accepted_at: Timestamp;
}

export interface QuoteChangeRequestsTable {
  tenant_id: string;
  id: string;
  quote_id: string;
  comment: string;
  created_at: Generated<Timestamp>;
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: Generated<Timestamp>;
}

export interface ApprovalRulesTable {
  tenant_id: string;
  id: string;
  kind: string;
  percent: Numeric | null;
  amount_minor: Int8 | null;
  currency: string | null;
  active: Generated<boolean>;
  created_at: Generated<Timestamp>;
}

export interface QuoteApprovalsTable {
  tenant_id: string;
  id: string;
  quote_id: string;
  version: number;
  status: string;
  requested_by: string;
  requested_at: Timestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  comment: string | null;
  triggered: Json;
  snapshot: Json;
}

/** Users, sessions and password resets (migration 3030). */
export interface UsersTable {
  tenant_id: string;
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string | null;
  platform_admin: Generated<boolean>;
  active: Generated<boolean>;
  totp_secret_enc: string | null;
  totp_enabled_at: Timestamp | null;
  totp_last_step: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  password_changed_at: Timestamp | null;
}

export interface SessionsTable {
  tenant_id: string;
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
}

export interface PasswordResetsTable {
  tenant_id: string;
  id: string;
  user_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

export interface DB {
  users: UsersTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  tenants: TenantsTable;
  api_keys: ApiKeysTable;
  number_series: NumberSeriesTable;
  customers: CustomersTable;
  products: ProductsTable;
  product_components: ProductComponentsTable;
  product_prices: ProductPricesTable;
  product_groups: ProductGroupsTable;
  price_lists: PriceListsTable;
  price_list_prices: PriceListPricesTable;
  customer_prices: CustomerPricesTable;
  quotes: QuotesTable;
  quote_lines: QuoteLinesTable;
  approval_rules: ApprovalRulesTable;
  quote_approvals: QuoteApprovalsTable;
  orders: OrdersTable;
  order_lines: OrderLinesTable;
  deliveries: DeliveriesTable;
  delivery_lines: DeliveryLinesTable;
  invoices: InvoicesTable;
  invoice_lines: InvoiceLinesTable;
  invoice_vat_breakdown: InvoiceVatBreakdownTable;
  ar_open_items: ArOpenItemsTable;
  payments: PaymentsTable;
  payment_allocations: PaymentAllocationsTable;
  journal_entries: JournalEntriesTable;
  journal_lines: JournalLinesTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  idempotency_keys: IdempotencyKeysTable;
  schema_migrations: SchemaMigrationsTable;
  quote_portal_links: QuotePortalLinksTable;
  quote_acceptances: QuoteAcceptancesTable;
  quote_change_requests: QuoteChangeRequestsTable;
  order_versions: OrderVersionsTable;
  order_change_requests: OrderChangeRequestsTable;
  warehouses: WarehousesTable;
  stock_levels: StockLevelsTable;
  stock_reservations: StockReservationsTable;
  stock_movements: StockMovementsTable;
  claims: ClaimsTable;
  claim_photos: ClaimPhotosTable;
  credit_requests: CreditRequestsTable;
  document_portal_links: DocumentPortalLinksTable;
}
