// The portal's settings, read at start from config.json beside index.html: one build serves every
// deployment (docs/portal.md, "Configuration").

export type AuthMode = "dev" | "msal";

export interface MsalSettings {
  /** The portal's app registration (a single-page application). */
  clientId: string;
  /** e.g. https://login.microsoftonline.com/<tenant>/v2.0 minus /v2.0, or https://login.partner.microsoftonline.cn/<tenant> in Azure China. */
  authority: string;
  /** The API's delegated scope, e.g. api://funcregistry/Registry.Use (the API checks it as Auth__RequiredScope). */
  scopes: string[];
  /** Where the provider sends the user back; default: the portal's own address. */
  redirectUri?: string;
  /** Claim names in the API's access token, as the API reads them (Auth__Claims__*). */
  claims?: Partial<Record<"role" | "subject" | "name" | "city" | "org", string>>;
  /** The provider's role values mapped to the app's role names, as the API's Auth__RoleValues. */
  roleValues?: Record<string, string>;
}

export interface PortalConfig {
  /** Base URL of the API (no trailing slash); empty: the portal's own origin (the development host). */
  apiBaseUrl: string;
  auth: AuthMode;
  msal?: MsalSettings;
  /** The province's cities as [code, name] (the API's Registry:Cities); default: Gansu's, the demo province. */
  cities?: [string, string][];
}

export async function loadConfig(): Promise<PortalConfig> {
  const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const config = (await response.json()) as Partial<PortalConfig>;
  const auth = config.auth ?? "dev";
  if (auth !== "dev" && auth !== "msal") throw new Error(`config.json: auth must be "dev" or "msal", not ${String(auth)}`);
  if (auth === "msal" && (!config.msal?.clientId || !config.msal.authority || !config.msal.scopes?.length))
    throw new Error("config.json: auth \"msal\" needs msal.clientId, msal.authority and msal.scopes");
  return {
    apiBaseUrl: (config.apiBaseUrl ?? "").replace(/\/+$/, ""), auth,
    ...(config.msal ? { msal: config.msal } : {}),
    ...(Array.isArray(config.cities) && config.cities.length ? { cities: config.cities } : {}),
  };
}
