// Credentials as the client sends them. Where they are kept (SecretStorage in the extension, env or
// an owner-only file for the CLI) is the caller's business; these objects only hold them in memory.
import { globalRedactor } from '../shared/redact';
import type { AuthProvider, SolvereignClient } from './client';

/** Service accounts and the CLI: `Authorization: Bearer <key>` (never X-API-Key, which live
 * refuses on /api/v1/platform/* with 400 auth_method_mismatch). */
export class ApiKeyAuth implements AuthProvider {
  constructor(private readonly apiKey: string) {
    globalRedactor.add(apiKey);
  }
  headers(): Record<string, string> {
    return { Authorization: `Bearer ${this.apiKey}` };
  }
}

export interface SessionCredential {
  /** [ops] body token, sent as a bearer token. */
  token?: string;
  /** Live's session cookie, `sv_platform_session=…`. */
  cookie?: string;
  expiresAt?: string | null;
}

/** A signed-in session; refreshes itself on ERR_AUTH_002 (or shortly before expiry) and reports
 * the new credential so the caller can store it. */
export class SessionAuth implements AuthProvider {
  private refreshing: Promise<boolean> | undefined;

  constructor(
    private credential: SessionCredential,
    private readonly onRefreshed?: (c: SessionCredential) => void | Promise<void>,
    private readonly now: () => number = Date.now,
  ) {
    globalRedactor.add(credential.token);
    globalRedactor.add(credential.cookie);
  }

  get current(): SessionCredential {
    return { ...this.credential };
  }

  headers(): Record<string, string> {
    const h: Record<string, string> = {};
    if (this.credential.token) h.Authorization = `Bearer ${this.credential.token}`;
    if (this.credential.cookie) h.Cookie = this.credential.cookie;
    return h;
  }

  /** True when the session ends within `withinMs`. */
  expiresSoon(withinMs = 60_000): boolean {
    if (!this.credential.expiresAt) return false;
    return Date.parse(this.credential.expiresAt) - this.now() < withinMs;
  }

  /** Refreshes a session that ends within a minute, so a long procedure never meets ERR_AUTH_002. */
  async prepare(client: SolvereignClient): Promise<void> {
    if (this.expiresSoon() && Date.parse(this.credential.expiresAt ?? '') > this.now())
      await this.refresh(client);
  }

  refresh(client: SolvereignClient): Promise<boolean> {
    // One refresh at a time; the refresh call itself must not trigger another refresh.
    if (this.refreshing) return this.refreshing;
    this.refreshing = (async () => {
      try {
        const r = await client.refreshSession();
        this.credential = { ...this.credential, token: r.token, expiresAt: r.expires_at };
        globalRedactor.add(r.token);
        await this.onRefreshed?.(this.current);
        return true;
      } catch {
        return false;
      }
    })();
    return this.refreshing.finally(() => {
      this.refreshing = undefined;
    });
  }
}
