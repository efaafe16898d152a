// My certificates (持证人: by their ID number, in the body) or the enterprise's roster (花名册),
// each with the applications it can start and, where the API serves it, the e-certificate.
import { api, ok, segment, serves, type Schemas } from "../api/client";
import type { Context, Page } from "../app";
import { h } from "../ui/dom";
import { card, empty, facts, field, input, link, statusBadge, table } from "../ui/components";
import { downloadButton } from "../ui/download";
import { kindText } from "../text";

const singleKinds = ["change", "reissue", "cancellation", "extension"] as const;

function actions(number: string, valid: boolean): HTMLElement {
  const start = (kind: string) => link(`#/applications/new?kind=${kind}&number=${segment(number)}`, kindText[kind as keyof typeof kindText], { class: "button small" });
  return h("div", { class: "actions" },
    valid ? singleKinds.map(start) : start("cancellation"),
    serves("GET /api/certificates/{number}/pdf")
      ? downloadButton("电子证书", `/api/certificates/${segment(number)}/pdf`, `${number}.pdf`, { class: "small" })
      : null);
}

export async function certificatesPage(ctx: Context, _params: string[], query: URLSearchParams): Promise<Page> {
  if (ctx.session.role === "enterprise") return rosterPage(ctx, query);
  const certificates = await ok(api.POST("/api/certificates/search", { body: { holderIdNumber: ctx.session.subject } }));
  return {
    title: "我的证书",
    body: h("div", {}, certificates.length === 0 ? empty("没有找到您名下的证书。") : certificates.map((c) => certificateCard(c))),
  };
}

function certificateCard(c: Schemas["CertificateView"]): HTMLElement {
  return card(c.number,
    facts([
      ["状态", statusBadge(c.status, c.statusText)],
      ["姓名", c.holderName],
      ["岗位", c.specialty ? `${c.post}（${c.specialty}）` : c.post],
      ["工作单位", c.employer],
      ["发证日期", c.issuedOn],
      ["有效期至", c.validUntil],
      ["已换发为", c.replacedBy ?? null],
    ]),
    c.endorsements.length
      ? h("details", {}, h("summary", {}, `签注记录（${c.endorsements.length}）`),
          h("ul", {}, ...c.endorsements.map((e) => h("li", {}, `${e.on} ${e.text}`))))
      : null,
    actions(c.number, c.status === "valid" || c.status === "expired"));
}

async function rosterPage(ctx: Context, query: URLSearchParams): Promise<Page> {
  const uscc = ctx.session.org ?? "";
  const q = query.get("q") ?? "";
  const cursor = query.get("cursor");
  const [enterprise, roster] = await Promise.all([
    ok(api.GET("/api/enterprises/{uscc}", { params: { path: { uscc } } })),
    ok(api.GET("/api/enterprises/{uscc}/certificates", { params: { path: { uscc }, query: { ...(q ? { q } : {}), ...(cursor ? { cursor } : {}), limit: 20 } } })),
  ]);
  if (typeof roster === "string") throw new Error("花名册的应答不是 JSON"); // the CSV form answers only Accept: text/csv
  const page = roster;
  const search = input({ name: "q", type: "search", value: q, placeholder: "证书编号或姓名" });
  const form = h("form", { class: "filters", role: "search" }, field("查找", search), h("button", { type: "submit" }, "查找"));
  form.addEventListener("submit", (event) => { event.preventDefault(); ctx.go(`#/certificates?q=${segment(search.value.trim())}`); });
  const rows = page.items.map((c) => [
    c.number, c.holderName, c.specialty ? `${c.post}（${c.specialty}）` : c.post, statusBadge(c.status, c.statusText), c.validUntil,
    c.openApplicationId ? link(`#/applications/${segment(c.openApplicationId)}`, c.openApplicationId) : actions(c.number, c.status === "valid" || c.status === "expired"),
  ]);
  return {
    title: "本单位证书",
    body: h("div", {},
      card(enterprise.name, facts([["统一社会信用代码", enterprise.uscc], ["所在市州", enterprise.cityName ?? enterprise.cityCode],
        ["证书数", String(enterprise.certificateCount)], ["在办申请", String(enterprise.openApplications)]]),
        h("div", { class: "actions" },
          link("#/applications/new?kind=batchReissue", "批量补办", { class: "button small" }),
          link("#/applications/new?kind=transfer", "调入人员", { class: "button small" }),
          link("#/applications/new?kind=enterpriseChange", "企业信息变更", { class: "button small" }))),
      form,
      rows.length ? table(["证书编号", "姓名", "岗位", "状态", "有效期至", "办理"], rows) : empty("没有符合条件的证书。"),
      page.next ? link(`#/certificates?q=${segment(q)}&cursor=${segment(page.next)}`, "下一页", { class: "button" }) : null),
  };
}
