// Development sign-in: POST /api/dev/tokens (served only by a Development API) for a role and a
// person, enterprise or city; the token is kept for this browser tab (sessionStorage).
import { api, ok } from "../api/client";
import type { Authenticator, Session } from "./session";
import { isRole, jwtPayload } from "./session";

const key = "funcregistry.devToken";

export class DevAuthenticator implements Authenticator {
  readonly mode = "dev";

  session(): Session | null {
    const token = sessionStorage.getItem(key);
    if (!token) return null;
    const claims = jwtPayload(token);
    if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now()) {
      sessionStorage.removeItem(key);
      return null;
    }
    const role = claims.role;
    if (!isRole(role)) return null;
    return {
      role,
      subject: String(claims.sub ?? ""),
      name: String(claims.name ?? ""),
      ...(typeof claims.city === "string" ? { city: claims.city } : {}),
      ...(typeof claims.org === "string" ? { org: claims.org } : {}),
    };
  }

  async token(): Promise<string | null> {
    return this.session() ? sessionStorage.getItem(key) : null;
  }

  async signIn(request: { role: string; subject: string; name: string; city?: string; org?: string }): Promise<void> {
    const answer = await ok(api.POST("/api/dev/tokens", { body: request }));
    sessionStorage.setItem(key, answer.token);
  }

  async signOut(): Promise<void> {
    sessionStorage.removeItem(key);
  }
}
