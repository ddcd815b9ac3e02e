import type { Kysely, Selectable } from 'kysely';
import type { ContentLink, ContentLinkRepository } from '../../app/ports';
import type { ContentLinksTable, Database } from '../schema';

function toLink(row: Selectable<ContentLinksTable>): ContentLink {
  return {
    tokenHash: row.token_hash,
    kind: row.kind,
    requestId: row.request_id,
    itemId: row.item_id,
    personId: row.person_id,
    download: row.download,
    issuedAt: new Date(row.issued_at).toISOString(),
    expiresAt: new Date(row.expires_at).toISOString(),
  };
}

export function createContentLinkRepository(db: Kysely<Database>): ContentLinkRepository {
  return {
    async issue(link) {
      await db
        .insertInto('content_links')
        .values({
          token_hash: link.tokenHash,
          kind: link.kind,
          request_id: link.requestId,
          item_id: link.itemId,
          person_id: link.personId,
          download: link.download,
          issued_at: link.issuedAt,
          expires_at: link.expiresAt,
          used_at: null,
        })
        .execute();
    },

    async find(tokenHash) {
      const row = await db.selectFrom('content_links').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
      return row ? { ...toLink(row), usedAt: row.used_at } : null;
    },

    async redeem(tokenHash, kind, requestId, itemId, now) {
      const at = now.toISOString();
      const row = await db
        .updateTable('content_links')
        .set({ used_at: at })
        .where('token_hash', '=', tokenHash)
        .where('kind', '=', kind)
        .where('request_id', '=', requestId)
        .where('item_id', '=', itemId)
        .where('used_at', 'is', null)
        .where('expires_at', '>', at)
        .returningAll()
        .executeTakeFirst();
      return row ? toLink(row) : null;
    },

    async removeExpired(before) {
      const result = await db.deleteFrom('content_links').where('expires_at', '<', before.toISOString()).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
