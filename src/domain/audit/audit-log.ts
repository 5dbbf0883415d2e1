/**
 * The audit log of link events: who did what to which link, when, from where. It records
 * identifiers, reasons, IP and user agent, never a token or a secret. Recording is best effort:
 * a failure to write an event is logged and never fails the request that caused it.
 */
import { randomUUID } from "node:crypto";
import type { AuditRepository } from "../../repositories/audit-repository.js";

export type AuditEventName =
  | "link_requested"
  | "link_approved"
  | "link_denied"
  | "link_confirmed"
  | "token_refreshed"
  | "refresh_reuse_detected"
  | "unlinked_by_user"
  | "unlinked_by_partner"
  | "token_rejected"
  | "client_auth_failed";

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

export function createAuditLog(deps: { repo: AuditRepository; clock: () => Date; onError: (err: unknown) => void }) {
  return {
    async record(event: AuditEvent, context: RequestContext): Promise<void> {
      try {
        await deps.repo.insert({
          id: randomUUID(),
          at: deps.clock(),
          event: event.event,
          userId: event.userId ?? null,
          clientId: event.clientId?.slice(0, 200) ?? null,
          externalUserId: event.externalUserId?.slice(0, 200) ?? null,
          linkId: event.linkId ?? null,
          ip: context.ip?.slice(0, 100) ?? null,
          userAgent: context.userAgent?.slice(0, 300) ?? null,
          detail: event.detail?.slice(0, 300) ?? null,
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
