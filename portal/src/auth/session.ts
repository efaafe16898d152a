// Who is signed in. The API decides what each caller may do; the portal only chooses which pages
// to offer from the same claims the API reads (role, subject, name, city, org).
import type { Role } from "../text";

export interface Session {
  role: Role;
  /** Applicant: the resident ID number; others: a staff or user id. */
  subject: string;
  name: string;
  /** City reviewer: the city code. */
  city?: string;
  /** Enterprise user: the USCC. */
  org?: string;
}

/** A sign-in method: the development token endpoint locally, MSAL (OIDC) in production. */
export interface Authenticator {
  readonly mode: "dev" | "msal";
  /** The signed-in user, or null. */
  session(): Session | null;
  /** A valid access token for the API, or null when signed out. */
  token(): Promise<string | null>;
  signOut(): Promise<void>;
}

const roles: Role[] = ["applicant", "enterprise", "city-reviewer", "province-reviewer", "admin"];
export const isRole = (value: unknown): value is Role => roles.includes(value as Role);

/** The payload of a JWT, read (not verified: the API verifies it) to know the signed-in user. */
export function jwtPayload(token: string): Record<string, unknown> {
  const part = token.split(".")[1] ?? "";
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const text = new TextDecoder().decode(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
  return JSON.parse(text) as Record<string, unknown>;
}
