/**
 * The permission matrix (issue 8, decision 0016): what each role may do. Every use case entry point
 * names the permission it needs; `authorize` refuses an actor whose role lacks it with 403, naming
 * the roles that may. An actor without a role (the CLI, the scheduler, the outbox worker) acts for
 * the installation's operator and may do everything. Field-level rules (`requireFieldRole`) refuse
 * a single field of an otherwise allowed request, naming the field.
 */
import { DomainError } from '../../core/shared/errors.js';
import type { Actor } from './env.js';

/** The roles a key or a user can have. */
export const ROLES = ['admin', 'sales_manager', 'sales', 'operations', 'finance', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const ALL: readonly Role[] = ROLES;

/** Who may set prices and discounts (quotes, customer prices, order amendments). */
export const PRICING_ROLES: readonly Role[] = ['admin', 'sales_manager', 'sales'];
export const FINANCE_ROLES: readonly Role[] = ['admin', 'finance'];
export const ADMIN_ROLES: readonly Role[] = ['admin'];

/**
 * Each permission and the roles holding it. Reads of the business documents are open to every role;
 * the books (ledger, bank, exports, VAT) to finance, admin and viewer; configuration to admin.
 */
export const PERMISSIONS = {
  /** Read customers, catalog, quotes, orders, deliveries, claims, invoices, payments, statements. */
  'documents.read': ALL,
  /** Read the books: ledger, bank lines, exports, VAT report, aging, verify, approval settings. */
  'books.read': ['admin', 'finance', 'viewer'],
  /** Create and edit customers (credit limits: finance only, a field rule). */
  'customers.write': ['admin', 'sales_manager', 'sales', 'finance'],
  /** Set customer-specific prices. */
  'prices.write': PRICING_ROLES,
  /** Products, product groups and price lists. */
  'catalog.write': ['admin', 'sales_manager'],
  /** Create, edit, revise, send, accept and decline quotes; ask for approval. */
  'quotes.write': PRICING_ROLES,
  /** Approve or reject a quote's approval request. */
  'quotes.approve': ['admin', 'sales_manager'],
  /** Confirm, amend, cancel and close orders; order portal links (prices in amendments: sales, a field rule). */
  'orders.write': ['admin', 'sales_manager', 'sales', 'operations'],
  /** Deliveries, service completions, stock, warehouses, delivery portal links. */
  'fulfilment.write': ['admin', 'operations'],
  /** Report and resolve claims. */
  'claims.write': ['admin', 'operations'],
  /** Invoices, credit notes, billing and dunning runs, advance invoices, credit holds, write-offs. */
  'billing.write': FINANCE_ROLES,
  /** Payments, bank files, matching, refunds and their approval. */
  'payments.write': FINANCE_ROLES,
  /** Journal entries, period close, fiscal years, chart and account map, rates, dunning settings. */
  'books.write': FINANCE_ROLES,
  /** Company settings, approval rules and thresholds, API keys, users, webhooks and events. */
  'admin': ADMIN_ROLES,
  /** What every signed-in principal may do for itself: its session, password, second factor. */
  'self': ALL,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export const isRole = (role: string): role is Role => (ROLES as readonly string[]).includes(role);

/** True when an actor of this role holds the permission (no role: the operator, always). */
export function mayUse(role: string | undefined, permission: Permission): boolean {
  if (role === undefined) return true;
  return (PERMISSIONS[permission] as readonly string[]).includes(role);
}

/** Refuses (403) an actor whose role lacks the permission. */
export function authorize(actor: Pick<Actor, 'role'>, permission: Permission, what?: string): void {
  if (mayUse(actor.role, permission)) return;
  const roles = PERMISSIONS[permission].join(', ');
  throw new DomainError('forbidden', `The role ${actor.role} may not ${what ?? describe(permission)}; ${roles} may`);
}

/** Refuses (403, naming the field) a field of a request that only some roles may set. */
export function requireFieldRole(actor: Pick<Actor, 'role'>, roles: readonly string[], field: string, what: string): void {
  if (actor.role === undefined || roles.includes(actor.role)) return;
  throw new DomainError('forbidden', `The role ${actor.role} may not ${what}; ${roles.join(', ')} may`, field);
}

function describe(permission: Permission): string {
  const [area, action] = permission.split('.');
  if (action === undefined) return `use ${area} functions`;
  return `${action === 'read' ? 'read' : action === 'write' ? 'change' : action} ${area}`;
}
