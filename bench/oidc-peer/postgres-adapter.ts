/**
 * A PostgreSQL adapter for oidc-provider (the benchmark's peer), written for the bench: one table,
 * every model's instances as jsonb keyed by (model, id), with the three secondary keys the adapter
 * interface looks things up by (grantId, userCode, uid) as columns, and `consume` as a column.
 * One statement per adapter call, postgres.js with prepared statements, like the app.
 *
 * Expired rows are not returned (as the provider's in-memory adapter forgets them); nothing
 * sweeps them, which does not matter for a run of minutes.
 */
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { Sql } from "postgres";

export const PEER_TABLE = "oidc_peer_payload";

export async function createPeerTable(sql: Sql): Promise<void> {
  await sql.unsafe(`
    create table ${PEER_TABLE} (
      model text not null,
      id text not null,
      payload jsonb not null,
      grant_id text,
      user_code text,
      uid text,
      expires_at timestamptz,
      consumed integer,
      primary key (model, id)
    );
    create index ${PEER_TABLE}_grant_id on ${PEER_TABLE} (grant_id) where grant_id is not null;
    create index ${PEER_TABLE}_user_code on ${PEER_TABLE} (user_code) where user_code is not null;
    create index ${PEER_TABLE}_uid on ${PEER_TABLE} (uid) where uid is not null`);
}

export async function dropPeerTable(sql: Sql): Promise<void> {
  await sql.unsafe(`drop table if exists ${PEER_TABLE}`);
}

interface Row {
  model: string;
  id: string;
  payload: AdapterPayload;
  grant_id: string | null;
  user_code: string | null;
  uid: string | null;
  expires_at: string | null;
}

const str = (v: unknown) => (typeof v === "string" ? v : null);

function toRow(model: string, id: string, payload: AdapterPayload, expiresIn: number | undefined): Row {
  return {
    model,
    id,
    payload,
    grant_id: str(payload.grantId),
    user_code: str(payload.userCode),
    uid: str(payload.uid),
    expires_at: typeof expiresIn === "number" ? new Date(Date.now() + expiresIn * 1000).toISOString() : null,
  };
}

const withConsumed = (found: { payload: AdapterPayload; consumed: number | null } | undefined): AdapterPayload | undefined =>
  found ? (found.consumed === null ? found.payload : { ...found.payload, consumed: found.consumed }) : undefined;

/**
 * The adapter factory the provider's `adapter` setting takes. While `seeding.rows` is an array,
 * `upsert` collects rows instead of writing them, and `flushSeed` writes them in bulk: seeding
 * tens of thousands of grants through the provider's own models without a round trip each.
 */
export function postgresAdapter(sql: Sql) {
  const seeding: { rows: Row[] | null } = { rows: null };

  class PostgresAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn: number | undefined): Promise<void> {
      const r = toRow(this.model, id, payload, expiresIn);
      if (seeding.rows) {
        seeding.rows.push(r);
        return;
      }
      await sql`
        insert into oidc_peer_payload (model, id, payload, grant_id, user_code, uid, expires_at, consumed)
        values (${r.model}, ${r.id}, ${sql.json(r.payload as never)}, ${r.grant_id}, ${r.user_code}, ${r.uid}, ${r.expires_at}, null)
        on conflict (model, id) do update set payload = excluded.payload, grant_id = excluded.grant_id, user_code = excluded.user_code,
          uid = excluded.uid, expires_at = excluded.expires_at, consumed = null`;
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      const [found] = await sql<{ payload: AdapterPayload; consumed: number | null }[]>`
        select payload, consumed from oidc_peer_payload
        where model = ${this.model} and id = ${id} and (expires_at is null or expires_at > now())`;
      return withConsumed(found);
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      const [found] = await sql<{ payload: AdapterPayload; consumed: number | null }[]>`
        select payload, consumed from oidc_peer_payload
        where model = ${this.model} and user_code = ${userCode} and (expires_at is null or expires_at > now()) limit 1`;
      return withConsumed(found);
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      const [found] = await sql<{ payload: AdapterPayload; consumed: number | null }[]>`
        select payload, consumed from oidc_peer_payload
        where model = ${this.model} and uid = ${uid} and (expires_at is null or expires_at > now()) limit 1`;
      return withConsumed(found);
    }

    async consume(id: string): Promise<void> {
      await sql`update oidc_peer_payload set consumed = ${Math.floor(Date.now() / 1000)} where model = ${this.model} and id = ${id}`;
    }

    async destroy(id: string): Promise<void> {
      await sql`delete from oidc_peer_payload where model = ${this.model} and id = ${id}`;
    }

    /** Every token of the grant, whatever its model (the Grant itself carries no grantId). */
    async revokeByGrantId(grantId: string): Promise<void> {
      await sql`delete from oidc_peer_payload where grant_id = ${grantId}`;
    }
  }

  return {
    factory: (model: string): Adapter => new PostgresAdapter(model),
    startSeed() {
      seeding.rows = [];
    },
    /** Writes the collected rows (1,000 per statement) and returns to writing each upsert. */
    async flushSeed(): Promise<number> {
      const rows = seeding.rows ?? [];
      seeding.rows = null;
      for (let i = 0; i < rows.length; i += 1000) {
        await sql`
          insert into oidc_peer_payload (model, id, payload, grant_id, user_code, uid, expires_at)
          select model, id, payload, grant_id, user_code, uid, expires_at
          from jsonb_to_recordset(${sql.json(rows.slice(i, i + 1000) as never)})
            as x(model text, id text, payload jsonb, grant_id text, user_code text, uid text, expires_at timestamptz)`;
      }
      return rows.length;
    },
  };
}
