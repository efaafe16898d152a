// Production sign-in: OIDC with MSAL (authorization code + PKCE, redirect). The access token for
// the API's scope is renewed silently before each request; its claims name the user, read with the
// same claim names and role values the API is configured with (Auth__Claims__*, Auth__RoleValues).
import { InteractionRequiredAuthError, PublicClientApplication, type AccountInfo } from "@azure/msal-browser";
import type { MsalSettings } from "../config";
import type { Authenticator, Session } from "./session";
import { isRole, jwtPayload } from "./session";

export class MsalAuthenticator implements Authenticator {
  readonly mode = "msal";
  private account: AccountInfo | null = null;
  private current: Session | null = null;

  private constructor(private readonly client: PublicClientApplication, private readonly settings: MsalSettings) {}

  /** Creates the client and completes a sign-in the provider redirected back from. */
  static async create(settings: MsalSettings): Promise<MsalAuthenticator> {
    const client = new PublicClientApplication({
      auth: { clientId: settings.clientId, authority: settings.authority, redirectUri: settings.redirectUri ?? location.origin + location.pathname },
      cache: { cacheLocation: "sessionStorage" },
    });
    await client.initialize();
    const redirected = await client.handleRedirectPromise();
    const self = new MsalAuthenticator(client, settings);
    self.account = redirected?.account ?? client.getAllAccounts()[0] ?? null;
    if (self.account) await self.token();
    return self;
  }

  session(): Session | null {
    return this.current;
  }

  async signIn(): Promise<void> {
    await this.client.loginRedirect({ scopes: this.settings.scopes });
  }

  async token(): Promise<string | null> {
    if (!this.account) return null;
    try {
      const result = await this.client.acquireTokenSilent({ scopes: this.settings.scopes, account: this.account });
      this.current = this.sessionOf(result.accessToken);
      return result.accessToken;
    } catch (error) {
      if (error instanceof InteractionRequiredAuthError) {
        await this.client.acquireTokenRedirect({ scopes: this.settings.scopes, account: this.account });
        return null;
      }
      throw error;
    }
  }

  async signOut(): Promise<void> {
    const account = this.account;
    this.account = null;
    this.current = null;
    await this.client.logoutRedirect(account ? { account } : {});
  }

  private sessionOf(accessToken: string): Session | null {
    const claims = jwtPayload(accessToken);
    const names = { role: "roles", subject: "sub", name: "name", city: "city", org: "org", ...this.settings.claims };
    const values = ([] as unknown[]).concat(claims[names.role] ?? []).map(String);
    const role = values.map((v) => this.settings.roleValues?.[v] ?? v).find(isRole);
    if (!role) return null;
    const text = (claim: string) => (typeof claims[claim] === "string" ? (claims[claim] as string) : undefined);
    const city = text(names.city);
    const org = text(names.org);
    return { role, subject: text(names.subject) ?? "", name: text(names.name) ?? "", ...(city ? { city } : {}), ...(org ? { org } : {}) };
  }
}
