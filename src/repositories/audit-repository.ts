import { desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { partnerClient } from "../db/schema.js";
import { linkEvent } from "../db/schema-audit.js";

export type NewLinkEvent = typeof linkEvent.$inferInsert;

const columns = {
  at: linkEvent.at,
  event: linkEvent.event,
  clientId: linkEvent.clientId,
  clientName: partnerClient.name,
  externalUserId: linkEvent.externalUserId,
  ip: linkEvent.ip,
  userAgent: linkEvent.userAgent,
  detail: linkEvent.detail,
};

export function auditRepository(db: Db) {
  return {
    async insert(row: NewLinkEvent): Promise<void> {
      // link_event.user_id has no foreign key (drizzle/0006), so the existence check is ours: an
      // event for a user whose deletion committed meanwhile is not written. The deletion's trigger
      // locks link_event before deleting the user's events, so this insert waits for it and then
      // sees the user gone (its snapshot is taken after the lock is granted).
      await db.execute(sql`
        insert into link_event (id, at, event, user_id, client_id, external_user_id, link_id, ip, user_agent, detail)
        select ${row.id}::text, ${row.at.toISOString()}::timestamptz, ${row.event}::text, ${row.userId ?? null}::text, ${row.clientId ?? null}::text,
               ${row.externalUserId ?? null}::text, ${row.linkId ?? null}::text, ${row.ip ?? null}::text, ${row.userAgent ?? null}::text, ${row.detail ?? null}::text
        where ${row.userId ?? null}::text is null or exists (select 1 from "user" where id = ${row.userId ?? null})`);
    },
    listForUser(userId: string, limit: number) {
      return db
        .select(columns)
        .from(linkEvent)
        .leftJoin(partnerClient, eq(partnerClient.clientId, linkEvent.clientId))
        .where(eq(linkEvent.userId, userId))
        .orderBy(desc(linkEvent.at))
        .limit(limit);
    },
    tail(limit: number) {
      return db
        .select({ ...columns, userId: linkEvent.userId })
        .from(linkEvent)
        .leftJoin(partnerClient, eq(partnerClient.clientId, linkEvent.clientId))
        .orderBy(desc(linkEvent.at))
        .limit(limit);
    },
  };
}

export type AuditRepository = ReturnType<typeof auditRepository>;
