/** Customer portal links to orders and deliveries. */
import type { Selectable } from 'kysely';
import type { DocumentLinkRecord, DocumentLinkRepo, DocumentLinkSubject } from '../../app/ports.js';
import { asId, type TenantId } from '../../core/shared/ids.js';
import type { DocumentPortalLinksTable } from '../schema.js';
import { guardInsert, type Executor } from './shared.js';

function fromRow(r: Selectable<DocumentPortalLinksTable>): DocumentLinkRecord {
  return {
    id: asId('documentPortalLink', r.id),
    subjectType: r.subject_type as DocumentLinkSubject,
    subjectId: r.subject_id,
    tokenHash: r.token_hash,
    expiresOn: r.expires_on,
    revokedAt: r.revoked_at,
    createdAt: r.created_at,
    lastViewedAt: r.last_viewed_at,
  };
}

export function documentLinkRepo(db: Executor, tenantId: TenantId): DocumentLinkRepo {
  return {
    async insert(l) {
      await guardInsert(`portal link ${l.id}`, () =>
        db
          .insertInto('document_portal_links')
          .values({
            tenant_id: tenantId,
            id: l.id,
            subject_type: l.subjectType,
            subject_id: l.subjectId,
            token_hash: l.tokenHash,
            expires_on: l.expiresOn,
            revoked_at: l.revokedAt,
            created_at: l.createdAt,
            last_viewed_at: l.lastViewedAt,
          })
          .execute(),
      );
    },

    async get(id) {
      const row = await db.selectFrom('document_portal_links').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return row && fromRow(row);
    },

    async getByTokenHash(tokenHash) {
      const row = await db
        .selectFrom('document_portal_links')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return row && fromRow(row);
    },

    async listFor(subjectType, subjectId) {
      const rows = await db
        .selectFrom('document_portal_links')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('subject_type', '=', subjectType)
        .where('subject_id', '=', subjectId)
        .orderBy('id')
        .execute();
      return rows.map(fromRow);
    },

    async revoke(id, at) {
      const r = await db
        .updateTable('document_portal_links')
        .set({ revoked_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    async touch(id, at) {
      await db.updateTable('document_portal_links').set({ last_viewed_at: at }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
  };
}
