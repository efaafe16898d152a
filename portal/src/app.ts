// What every page receives: the sign-in, the signed-in user, the configuration, navigation.
import type { Session, Authenticator } from "./auth/session";
import type { PortalConfig } from "./config";

export interface Context {
  auth: Authenticator;
  session: Session;
  config: PortalConfig;
  /** Goes to a route, e.g. "#/applications/SQ…". */
  go(hash: string): void;
  /** Renders the current route again (after a command changed what it shows). */
  reload(): void;
}

/** A page: its title (the h1 and the document title) and its content. */
export interface Page {
  title: string;
  body: Node;
}
