/** The demo partner's token store: this process's memory (Karabast keeps refresh tokens in its database). */
import type { StoredTokens, TokenStore } from "../../client/index.js";

export class MemoryTokenStore implements TokenStore {
  readonly #tokens = new Map<string, StoredTokens>();

  load(karabastUserId: string): Promise<StoredTokens | null> {
    const tokens = this.#tokens.get(karabastUserId);
    return Promise.resolve(tokens ? { ...tokens } : null);
  }

  save(karabastUserId: string, tokens: StoredTokens): Promise<void> {
    this.#tokens.set(karabastUserId, { ...tokens });
    return Promise.resolve();
  }

  remove(karabastUserId: string): Promise<void> {
    this.#tokens.delete(karabastUserId);
    return Promise.resolve();
  }

  /** What is stored now, without copying (for display). */
  peek(karabastUserId: string): StoredTokens | undefined {
    return this.#tokens.get(karabastUserId);
  }
}
