/**
 * Seeding in bulk, never over HTTP: users and links are streamed into PostgreSQL with COPY, their
 * rows computed in Node with the server's own TokenVault (the same keys), so every digest is the
 * real HMAC of a known token and every ciphertext decrypts. Tokens are derived from an index
 * (HMAC of "kind:namespace:index" under a per-run seed), so the load generator can recompute the
 * token of any seeded link without keeping a million of them; so are the links' locators, which
 * access and refresh tokens carry (src/domain/tokens/token-vault.ts).
 */
import { createHash, createHmac } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Sql } from "postgres";
import type { TokenVault } from "../../src/domain/tokens/token-vault.js";

const CLIENT_ID = "karabast";
export const REDIRECT_URI = "https://karabast.example/api/swubase/callback";
export const SCOPES = ["decks", "email", "profile", "teams"];

const PREFIX = { link: "swbl_", access: "swba_", refresh: "swbr_" } as const;

/** One family of seeded links: `ns` keeps families apart (ids, external ids, tokens). */
export class LinkFamily {
  constructor(
    readonly ns: string,
    private readonly seed: Buffer,
  ) {}

  linkId = (i: number) => `bench-${this.ns}-${i}`;
  userId = (i: number) => `bench-user-${this.ns}-${i}`;
  externalUserId = (i: number) => `kb-${this.ns}-${i}`;
  /** The link's locator: 16 base64url characters, like `newTokenLocator`'s. */
  locator(i: number): string {
    return createHmac("sha256", this.seed).update(`locator:${this.ns}:${i}`).digest("base64url").slice(0, 16);
  }
  token(kind: keyof typeof PREFIX, i: number): string {
    return PREFIX[kind] + (kind === "link" ? "" : this.locator(i)) + createHmac("sha256", this.seed).update(`${kind}:${this.ns}:${i}`).digest("base64url");
  }
}

const bytea = (b: Buffer) => `\\\\x${b.toString("hex")}`; // COPY text format: the backslash is escaped
const N = "\\N";
const ts = (d: Date) => d.toISOString();

/** Streams rows (already COPY text lines) into `table (columns)`, in chunks. */
async function copyLines(sql: Sql, table: string, columns: string[], count: number, line: (k: number) => string) {
  const chunk = 2000;
  async function* chunks() {
    for (let start = 0; start < count; start += chunk) {
      let text = "";
      for (let k = start; k < Math.min(count, start + chunk); k++) text += line(k) + "\n";
      yield text;
    }
  }
  const writable = await sql.unsafe(`copy ${table} (${columns.join(", ")}) from stdin`).writable();
  await pipeline(Readable.from(chunks()), writable);
}

async function copyUsers(sql: Sql, family: LinkFamily, from: number, to: number, now: Date) {
  await copyLines(sql, '"user"', ["id", "name", "email", "email_verified", "created_at", "updated_at"], to - from, (k) => {
    const i = from + k;
    return [family.userId(i), `Bench ${family.ns} ${i}`, `${family.ns}-${i}@bench.example`, "f", ts(now), ts(now)].join("\t");
  });
}

const LINK_COLUMNS = [
  "id", "user_id", "client_id", "integration", "external_user_id", "scopes", "redirect_uri", "status", "metadata",
  "link_token_digest", "link_token_ciphertext", "link_token_expires_at",
  "token_locator", "access_token_digest", "access_token_ciphertext", "access_token_expires_at",
  "refresh_token_digest", "refresh_token_ciphertext", "refresh_token_expires_at",
  "created_at", "linked_at", "last_used_at",
];

/**
 * Active links `from..to-1` of a family (each with its own user), holding the family's access and
 * refresh tokens for those indexes: access valid for a day, refresh for 30 days.
 */
export async function seedActiveLinks(sql: Sql, vault: TokenVault, family: LinkFamily, from: number, to: number, now = new Date()) {
  if (to <= from) return;
  await copyUsers(sql, family, from, to, now);
  const day = new Date(now.getTime() + 86_400_000);
  const month = new Date(now.getTime() + 30 * 86_400_000);
  const yesterday = new Date(now.getTime() - 86_400_000);
  const scopes = `{${SCOPES.join(",")}}`;
  await copyLines(sql, "user_integration", LINK_COLUMNS, to - from, (k) => {
    const i = from + k;
    const access = family.token("access", i);
    const refresh = family.token("refresh", i);
    return [
      family.linkId(i), family.userId(i), CLIENT_ID, "karabast", family.externalUserId(i), scopes, REDIRECT_URI, "active", "{}",
      N, N, N,
      family.locator(i), bytea(vault.digest(access)), vault.encrypt(access), ts(day),
      bytea(vault.digest(refresh)), vault.encrypt(refresh), ts(month),
      ts(yesterday), ts(yesterday), ts(yesterday),
    ].join("\t");
  });
}

/** Pending links `from..to-1` (each with its own user) whose link tokens are valid for two hours. */
export async function seedPendingLinks(sql: Sql, vault: TokenVault, family: LinkFamily, from: number, to: number, now = new Date()) {
  if (to <= from) return;
  await copyUsers(sql, family, from, to, now);
  const expires = new Date(now.getTime() + 2 * 3_600_000);
  const scopes = `{${SCOPES.join(",")}}`;
  await copyLines(sql, "user_integration", LINK_COLUMNS, to - from, (k) => {
    const i = from + k;
    const link = family.token("link", i);
    return [
      family.linkId(i), family.userId(i), CLIENT_ID, "karabast", family.externalUserId(i), scopes, REDIRECT_URI, "pending", "{}",
      bytea(vault.digest(link)), vault.encrypt(link), ts(expires),
      N, N, N, N, N, N, N,
      ts(now), N, N,
    ].join("\t");
  });
}

/** The write floor's table: `rows` rows with a unique 32-byte key (the shape of a token digest). */
export async function createFloorTable(sql: Sql, rows: number) {
  await sql.unsafe(`
    create table bench_floor (id bigint primary key, key bytea not null unique, n bigint not null default 0, touched_at timestamptz);
    insert into bench_floor (id, key) select i, sha256(int8send(i)) from generate_series(0, ${rows - 1}) as i;
    analyze bench_floor`);
}

/** The write floor's key of row `i`, hex: sha256(int8send(i)) = SHA-256 of the 8-byte big-endian integer. */
export function floorKey(i: number): string {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(i));
  return createHash("sha256").update(b).digest("hex");
}

export const LEADERS = ["9226435975", "2580909557", "0011262813", "0024560758", "0026166404", "0092239541"];
export const BASES = ["4301437393", "0450346170", "0119018087", "0121172430", "0344986336"];
export const CARDS = ["0400955141", "0994241595", "3232845719", "3337614029", "3646264648", "3736081333", "4571900905", "5876721507", "5966087637", "6234506067",
  "6404471739", "7243187516", "7439418148", "7517208605", "7789777396", "8287246260", "9033398895", "9637610169", "1553569317", "1785627279"];

/**
 * `games` finished games of one user in SQL (the opponent seat unattributed), 20 card metrics per
 * seat: the history the statistics endpoints read. `externalUserId` is the user's seat id.
 */
export async function seedStatsGames(sql: Sql, input: { userId: string; externalUserId: string; games: number; clientId?: string }) {
  const arr = (xs: string[]) => `array[${xs.map((x) => `'${x}'`).join(",")}]`;
  const clientId = input.clientId ?? CLIENT_ID;
  await sql.unsafe(
    `insert into game (client_id, game_id, lobby_id, format, started_at, finished_at, round_number, sequence_number)
     select $1, 'seed-' || i, 'lobby-' || (i / 3), (array['premier','premier','premier','open','eternal'])[1 + i % 5],
            now() - (i * interval '50 minutes') - interval '25 minutes', now() - (i * interval '50 minutes'), 1 + i % 9, 1 + i % 3
     from generate_series(1, $2::int) as i`,
    [clientId, input.games],
  );
  await sql.unsafe(
    `insert into game_seat (game_id, seat, external_user_id, user_id, link_id, attribution, leader, base, deck_id, deck_name, deck_source,
                            is_winner, result, finished_at, format, opponent_leader, opponent_base)
     select g.id, s.seat,
            case when s.seat = 0 then $1 else 'kb-opp-' || (g.id % 500) end,
            case when s.seat = 0 then $2 end, null, case when s.seat = 0 then 'linked' else 'no_token' end,
            (${arr(LEADERS)})[1 + (g.id + s.seat * 3) % 6], (${arr(BASES)})[1 + (g.id + s.seat) % 5],
            'deck-' || ((g.id + s.seat * 4) % 8), 'Deck ' || ((g.id + s.seat * 4) % 8), 'swuBase',
            (hashtext(g.game_id) % 2 = 0) = (s.seat = 0),
            case when (hashtext(g.game_id) % 2 = 0) = (s.seat = 0) then 'win' else 'loss' end, g.finished_at, g.format,
            (${arr(LEADERS)})[1 + (g.id + (1 - s.seat) * 3) % 6], (${arr(BASES)})[1 + (g.id + 1 - s.seat) % 5]
     from game g cross join (values (0::smallint), (1::smallint)) as s(seat)
     where g.game_id like 'seed-%' and not exists (select 1 from game_seat x where x.game_id = g.id)`,
    [input.externalUserId, input.userId],
  );
  await sql.unsafe(`
    insert into game_card_metrics (game_id, seat, card_ids, played, resourced, activated, drawn, discarded)
    select s.game_id, s.seat, array_agg(c.card order by c.n), array_agg((s.game_id + c.n) % 3 order by c.n), array_agg((s.game_id + c.n) % 2 order by c.n),
           array_agg((s.game_id * c.n) % 2 order by c.n), array_agg((s.game_id + c.n) % 4 order by c.n), array_agg((s.game_id * c.n) % 5 / 4 order by c.n)
    from game_seat s cross join unnest(${arr(CARDS)}::text[]) with ordinality as c(card, n)
    where not exists (select 1 from game_card_metrics m where m.game_id = s.game_id and m.seat = s.seat)
    group by s.game_id, s.seat`);
}
