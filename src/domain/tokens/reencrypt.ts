/**
 * `keys rotate`: re-encrypts every stored token that is not under the current key, in batches,
 * while the service keeps running. Each row is replaced only if it still holds the value that
 * was read (compare-and-set), so a concurrent refresh is never overwritten with an older token.
 */
import type { LinkRepository } from "../../repositories/link-repository.js";
import type { TokenVault } from "./token-vault.js";

const COLUMNS = ["linkTokenCiphertext", "accessTokenCiphertext", "refreshTokenCiphertext"] as const;

export async function reencryptStoredTokens(links: LinkRepository, vault: TokenVault, batchSize = 500) {
  let scanned = 0;
  let reencrypted = 0;
  let skipped = 0;
  let after = "";
  for (;;) {
    const batch = await links.ciphertextBatch(after, batchSize);
    if (batch.length === 0) break;
    for (const row of batch) {
      scanned++;
      for (const column of COLUMNS) {
        const stored = row[column];
        if (!stored || !vault.needsReencryption(stored)) continue;
        const replaced = await links.replaceCiphertext(row.id, column, stored, vault.encrypt(vault.decrypt(stored)));
        if (replaced) reencrypted++;
        else skipped++; // changed meanwhile: the new value is already under the current key
      }
    }
    after = batch[batch.length - 1]!.id;
  }
  return { scanned, reencrypted, skipped };
}
