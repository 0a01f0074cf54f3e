/** Portal links, acceptances and change requests of quotes (the customer portal). */
import type { Selectable } from 'kysely';
import type { PortalLinkRecord, PortalRepo, QuoteAcceptanceRecord } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { QuoteAcceptancesTable, QuotePortalLinksTable } from '../schema.js';
import { guardInsert, toJson, type Executor } from './shared.js';

function linkFromRow(r: Selectable<QuotePortalLinksTable>): PortalLinkRecord {
  return {
    id: asId('portalLink', r.id),
    quoteId: asId('quote', r.quote_id),
    tokenHash: r.token_hash,
    expiresOn: r.expires_on,
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
    lastViewedAt: r.last_viewed_at,
  };
}

function acceptanceFromRow(r: Selectable<QuoteAcceptancesTable>): QuoteAcceptanceRecord {
  const keys = Array.isArray(r.selected_optional_line_keys) ? r.selected_optional_line_keys.filter((k): k is string => typeof k === 'string') : [];
  return {
    id: asId('quoteAcceptance', r.id),
    quoteId: asId('quote', r.quote_id),
    orderId: asId('order', r.order_id),
    signerName: r.signer_name,
    consent: true,
    ip: r.ip,
    userAgent: r.user_agent,
    contentHash: r.content_hash,
    selectedOptionalLineKeys: keys,
    acceptedAt: r.accepted_at,
  };
}

export function portalRepo(db: Executor, tenantId: TenantId): PortalRepo {
  return {
    async insertLink(l) {
      await guardInsert(`portal link ${l.id}`, () =>
        db
          .insertInto('quote_portal_links')
          .values({
            tenant_id: tenantId,
            id: l.id,
            quote_id: l.quoteId,
            token_hash: l.tokenHash,
            expires_on: l.expiresOn,
            revoked_at: l.revokedAt,
            created_at: l.createdAt,
            last_viewed_at: l.lastViewedAt,
          })
          .execute(),
      );
    },

    async getLink(id) {
      const row = await db.selectFrom('quote_portal_links').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return row && linkFromRow(row);
    },

    async getLinkByTokenHash(tokenHash) {
      const row = await db
        .selectFrom('quote_portal_links')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row && linkFromRow(row);
    },

    async revokeLink(id, at) {
      const r = await db
        .updateTable('quote_portal_links')
        .set({ revoked_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    async touchLink(id, at) {
      await db.updateTable('quote_portal_links').set({ last_viewed_at: at }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    async insertAcceptance(a) {
      await guardInsert(`acceptance of quote ${a.quoteId}`, () =>
        db
          .insertInto('quote_acceptances')
          .values({
            tenant_id: tenantId,
            id: a.id,
            quote_id: a.quoteId,
            order_id: a.orderId,
            signer_name: a.signerName,
            consent: a.consent,
            ip: a.ip,
            user_agent: a.userAgent,
            content_hash: a.contentHash,
            selected_optional_line_keys: toJson(a.selectedOptionalLineKeys),
            accepted_at: a.acceptedAt,
          })
          .execute(),
      );
    },

    async getAcceptance(quoteId) {
      const row = await db.selectFrom('quote_acceptances').selectAll().where('tenant_id', '=', tenantId).where('quote_id', '=', quoteId).executeTakeFirst();
      return row && acceptanceFromRow(row);
    },

    async orderIdForQuote(quoteId) {
      const row = await db
        .selectFrom('orders')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('quote_id', '=', quoteId)
        .orderBy('id')
        .limit(1)
        .executeTakeFirst();
      return row && asId('order', row.id);
    },

    async insertChangeRequest(c) {
      await guardInsert(`change request ${c.id}`, () =>
        db
          .insertInto('quote_change_requests')
          .values({ tenant_id: tenantId, id: c.id, quote_id: c.quoteId, comment: c.comment, created_at: c.createdAt })
          .execute(),
      );
    },
  };
}
