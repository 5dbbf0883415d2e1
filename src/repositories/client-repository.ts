import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/database.js";
import { partnerClient } from "../db/schema.js";

export type ClientRow = typeof partnerClient.$inferSelect;
export type NewClientRow = typeof partnerClient.$inferInsert;

export function clientRepository(db: Db) {
  return {
    async findById(clientId: string): Promise<ClientRow | null> {
      const rows = await db.select().from(partnerClient).where(eq(partnerClient.clientId, clientId)).limit(1);
      return rows[0] ?? null;
    },
    list(): Promise<ClientRow[]> {
      return db.select().from(partnerClient).orderBy(asc(partnerClient.clientId));
    },
    async insert(row: NewClientRow): Promise<boolean> {
      const inserted = await db.insert(partnerClient).values(row).onConflictDoNothing().returning({ id: partnerClient.clientId });
      return inserted.length === 1;
    },
    async upsert(row: NewClientRow): Promise<void> {
      const { clientId: _id, createdAt: _c, ...rest } = row;
      await db
        .insert(partnerClient)
        .values(row)
        .onConflictDoUpdate({ target: partnerClient.clientId, set: { ...rest, updatedAt: new Date() } });
    },
    async setSecretDigests(clientId: string, digests: string[]): Promise<boolean> {
      const rows = await db
        .update(partnerClient)
        .set({ secretDigests: digests, updatedAt: new Date() })
        .where(eq(partnerClient.clientId, clientId))
        .returning({ id: partnerClient.clientId });
      return rows.length === 1;
    },
    async remove(clientId: string): Promise<boolean> {
      const rows = await db.delete(partnerClient).where(eq(partnerClient.clientId, clientId)).returning({ id: partnerClient.clientId });
      return rows.length === 1;
    },
  };
}

export type ClientRepository = ReturnType<typeof clientRepository>;
