// Starts the portal: configuration, sign-in, then hash routes (#/…), which a static website serves
// without rewrite rules.
import "./styles.css";
import { connect } from "./api/client";
import type { Context, Page } from "./app";
import { DevAuthenticator } from "./auth/dev";
import type { Authenticator, Session } from "./auth/session";
import { loadConfig, type PortalConfig } from "./config";
import { h, show } from "./ui/dom";
import { button } from "./ui/components";
import { cities, roleText, type Role } from "./text";
import { signInPage } from "./pages/signIn";
import { certificatesPage } from "./pages/certificates";
import { applicationsPage } from "./pages/applications";
import { newApplicationPage } from "./pages/newApplication";
import { applicationPage } from "./pages/application";
import { reviewQueuePage } from "./pages/reviewQueue";
import { reviewPage } from "./pages/review";
import { importPage } from "./pages/adminImport";
import { smsFailuresPage } from "./pages/adminSms";
import { smsViewerPage } from "./pages/smsViewer";

type Render = (ctx: Context, params: string[], query: URLSearchParams) => Promise<Page>;
interface Route { path: RegExp; roles: Role[]; render: Render; }

const filers: Role[] = ["applicant", "enterprise"];
const reviewers: Role[] = ["city-reviewer", "province-reviewer"];
const everyone: Role[] = [...filers, ...reviewers, "admin"];
const routes: Route[] = [
  { path: /^\/certificates$/, roles: filers, render: certificatesPage },
  { path: /^\/applications$/, roles: everyone, render: applicationsPage },
  { path: /^\/applications\/new$/, roles: filers, render: newApplicationPage },
  { path: /^\/applications\/([^/]+)$/, roles: everyone, render: applicationPage },
  { path: /^\/reviews$/, roles: reviewers, render: reviewQueuePage },
  { path: /^\/reviews\/([^/]+)$/, roles: [...reviewers, "admin"], render: reviewPage },
  { path: /^\/admin\/import$/, roles: ["admin"], render: importPage },
  { path: /^\/admin\/sms$/, roles: ["admin"], render: smsFailuresPage },
  { path: /^\/sms$/, roles: everyone, render: smsViewerPage },
];

const home: Record<Role, string> = {
  applicant: "#/certificates",
  enterprise: "#/certificates",
  "city-reviewer": "#/reviews",
  "province-reviewer": "#/reviews",
  admin: "#/admin/import",
};

function menu(session: Session, config: PortalConfig): [string, string][] {
  const sms: [string, string][] = config.auth === "dev" ? [["#/sms", "短信记录"]] : [];
  switch (session.role) {
    case "applicant": return [["#/certificates", "我的证书"], ["#/applications", "我的申请"], ["#/applications/new", "办理业务"], ...sms];
    case "enterprise": return [["#/certificates", "本单位证书"], ["#/applications", "本单位申请"], ["#/applications/new", "办理业务"], ...sms];
    case "admin": return [["#/admin/import", "导入证书库"], ["#/admin/sms", "短信发送"], ["#/applications", "全部申请"]];
    default: return [["#/reviews", "待审核"], ["#/applications", "申请查询"], ...sms];
  }
}

let auth: Authenticator;
let config: PortalConfig;
let rendering = 0;
let rendered = false;

async function route(): Promise<void> {
  const ticket = ++rendering;
  const main = document.getElementById("main")!;
  const [path = "/", queryText = ""] = location.hash.replace(/^#/, "").split("?");
  const query = new URLSearchParams(queryText);
  const session = auth.session();
  renderChrome(session, path);
  let page: Page;
  try {
    if (!session) page = await signInPage(auth, config, () => { location.hash = "#/"; void route(); });
    else {
      const match = routes.map((r) => ({ r, m: r.path.exec(path) })).find((x) => x.m);
      if (!match || !match.r.roles.includes(session.role)) {
        if (path !== home[session.role].slice(1)) { location.replace(home[session.role]); return; }
        page = { title: "页面不存在", body: h("p", {}, "该页面不存在或当前角色无权访问。") };
      } else {
        const ctx: Context = { auth, session, config, go: (hash) => { location.hash = hash; }, reload: () => void route() };
        page = await match.r.render(ctx, match.m!.slice(1).map(decodeURIComponent), query);
      }
    }
  } catch (error) {
    page = { title: "出错了", body: h("p", { class: "problem", role: "alert" }, error instanceof Error ? error.message : String(error)) };
  }
  if (ticket !== rendering) return; // a later navigation won
  document.title = `${page.title} - 证书业务办理`;
  const heading = h("h1", { tabindex: "-1" }, page.title);
  show(main, heading, page.body);
  // After a navigation the new page's heading takes the focus (a screen reader reads where it is);
  // on the first load the focus stays at the document's start, where the skip link is.
  if (rendered) heading.focus();
  rendered = true;
}

function renderChrome(session: Session | null, path: string): void {
  const nav = document.getElementById("nav")!;
  const user = document.getElementById("user")!;
  if (!session) { show(nav); show(user); return; }
  show(nav, h("ul", {}, ...menu(session, config).map(([href, text]) =>
    h("li", {}, h("a", { href, "aria-current": path === href.slice(1) ? "page" : null }, text)))));
  show(user,
    h("span", {}, `${session.name}（${roleText[session.role]}）`),
    button("退出登录", async () => { await auth.signOut(); location.hash = "#/"; void route(); }, { class: "link" }));
}

async function start(): Promise<void> {
  document.querySelector(".skip")?.addEventListener("click", (event) => {
    event.preventDefault();
    (document.querySelector("main h1") as HTMLElement | null ?? document.getElementById("main"))?.focus();
  });
  try {
    config = await loadConfig();
    if (config.cities) cities.splice(0, cities.length, ...config.cities);
    connect(config.apiBaseUrl, () => auth.token());
    auth = config.auth === "msal"
      ? await (await import("./auth/msal")).MsalAuthenticator.create(config.msal!)
      : new DevAuthenticator();
  } catch (error) {
    show(document.getElementById("main")!, h("h1", {}, "无法启动"), h("p", { class: "problem", role: "alert" }, String(error)));
    return;
  }
  window.addEventListener("hashchange", () => void route());
  await route();
}

void start();
