import { desc, eq } from "drizzle-orm";
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
      await db.insert(linkEvent).values(row);
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
