/**
 * Which role may do what, for hiding the actions a user may not use (the server refuses them anyway:
 * src/app/shared/permissions.ts is the authority). A copy, because the web app talks to the server
 * over HTTP only; test/browser/web-permissions.test.ts fails when the two differ.
 */
export const PERMISSIONS = {
  'documents.read': ['admin', 'sales_manager', 'sales', 'operations', 'finance', 'viewer'],
  'books.read': ['admin', 'finance', 'viewer'],
  'customers.write': ['admin', 'sales_manager', 'sales', 'finance'],
  'prices.write': ['admin', 'sales_manager', 'sales'],
  'catalog.write': ['admin', 'sales_manager'],
  'quotes.write': ['admin', 'sales_manager', 'sales'],
  'quotes.approve': ['admin', 'sales_manager'],
  'orders.write': ['admin', 'sales_manager', 'sales', 'operations'],
  'fulfilment.write': ['admin', 'operations'],
  'claims.write': ['admin', 'operations'],
  'billing.write': ['admin', 'finance'],
  'payments.write': ['admin', 'finance'],
  'books.write': ['admin', 'finance'],
  'admin': ['admin'],
  'self': ['admin', 'sales_manager', 'sales', 'operations', 'finance', 'viewer'],
} as const satisfies Record<string, readonly string[]>;

export type Permission = keyof typeof PERMISSIONS;

/** True when a user of this role may use the permission. */
export function mayUse(role: string, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly string[]).includes(role);
}
