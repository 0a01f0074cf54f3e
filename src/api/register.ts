/** All resource routes, one file per resource under routes/. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppDeps } from '../app/shared/env.js';
import { customerRoutes } from './routes/customers.js';
import { invoiceRoutes } from './routes/invoices.js';
import { billingRunRoutes } from './routes/billing-runs.js';
import { creditNoteRoutes } from './routes/credit-notes.js';
import { ledgerRoutes } from './routes/ledger.js';
import { orderRoutes } from './routes/orders.js';
import { deliveryRoutes } from './routes/deliveries.js';
import { stockRoutes } from './routes/stock.js';
import { claimRoutes } from './routes/claims.js';
import { orderPortalRoutes } from './routes/order-portal.js';
import { deliveryPortalRoutes } from './routes/delivery-portal.js';
import { paymentRoutes } from './routes/payments.js';
import { productRoutes } from './routes/products.js';
import { catalogRoutes } from './routes/catalog.js';
import { quoteRoutes } from './routes/quotes.js';
import { quotePdfRoutes } from './routes/quote-pdf.js';
import { settingsRoutes } from './routes/settings.js';
import { portalRoutes } from './routes/portal.js';
import { quoteApprovalRoutes } from './routes/quote-approvals.js';

export function registerRoutes(server: FastifyInstance, deps: AppDeps): void {
  const app = server.withTypeProvider<ZodTypeProvider>();
  customerRoutes(app, deps);
  productRoutes(app, deps);
  catalogRoutes(app, deps);
  quoteRoutes(app, deps);
  quotePdfRoutes(app, deps);
  settingsRoutes(app, deps);
  portalRoutes(app, deps);
  quoteApprovalRoutes(app, deps);
  orderRoutes(app, deps);
  deliveryRoutes(app, deps);
  stockRoutes(app, deps);
  claimRoutes(app, deps);
  orderPortalRoutes(app, deps);
  deliveryPortalRoutes(app, deps);
  invoiceRoutes(app, deps);
  billingRunRoutes(app, deps);
  creditNoteRoutes(app, deps);
  paymentRoutes(app, deps);
  ledgerRoutes(app, deps);
}
