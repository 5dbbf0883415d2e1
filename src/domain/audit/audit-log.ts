/**
 * The audit log of link events: who did what to which link, when, from where. It records
 * identifiers, reasons, IP and user agent, never a token or a secret. `record` is best effort:
 * a failure to write an event is logged and never fails the request that caused it. The two hot
 * events (link_confirmed, token_refreshed) are instead written by the statement that makes the
 * change (`statementEvent`), so they are atomic with it and cost no second commit.
 */
import { randomUUID } from "node:crypto";
import type { AuditEventName, StatementEvent } from "../../db/schema.js";
import type { AuditRepository } from "../../repositories/audit-repository.js";

/** Where a request came from (filled by the HTTP layer). */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

export interface AuditEvent {
  event: AuditEventName;
  userId?: string | null;
  clientId?: string | null;
  externalUserId?: string | null;
  linkId?: string | null;
  detail?: string | null;
}

/** The caps every event row keeps to (a user agent can be kilobytes). */
const cap = (value: string | null | undefined, max: number) => value?.slice(0, max) ?? null;

export function statementEvent(event: AuditEventName, context: RequestContext, at: Date, detail?: string): StatementEvent {
  return { id: randomUUID(), at, event, ip: cap(context.ip, 100), userAgent: cap(context.userAgent, 300), detail: cap(detail, 300) };
}

export function createAuditLog(deps: { repo: AuditRepository; clock: () => Date; onError: (err: unknown) => void }) {
  return {
    async record(event: AuditEvent, context: RequestContext): Promise<void> {
      try {
        await deps.repo.insert({
          id: randomUUID(),
          at: deps.clock(),
          event: event.event,
          userId: event.userId ?? null,
          clientId: cap(event.clientId, 200),
          externalUserId: cap(event.externalUserId, 200),
          linkId: event.linkId ?? null,
          ip: cap(context.ip, 100),
          userAgent: cap(context.userAgent, 300),
          detail: cap(event.detail, 300),
        });
      } catch (err) {
        deps.onError(err);
      }
    },
    forUser: (userId: string, limit = 50) => deps.repo.listForUser(userId, limit),
    tail: (limit = 50) => deps.repo.tail(limit),
  };
}

export type AuditLog = ReturnType<typeof createAuditLog>;
