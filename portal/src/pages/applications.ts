// The applications the caller may see (own, employees', city's or all, as the API scopes them),
// newest first, filtered by status and kind.
import { api, ok, segment, type QueryOf } from "../api/client";
import type { Context, Page } from "../app";
import { h } from "../ui/dom";
import { empty, field, link, select, statusBadge, table } from "../ui/components";
import { kindText, statusText, when } from "../text";

type Query = QueryOf<"/api/applications", "get">;

export async function applicationsPage(ctx: Context, _params: string[], query: URLSearchParams): Promise<Page> {
  const status = query.get("status") ?? "";
  const kind = query.get("kind") ?? "";
  const token = query.get("continuationToken");
  const page = await ok(api.GET("/api/applications", { params: { query: {
    ...(status ? { status: status as Query["status"] } : {}),
    ...(kind ? { kind: kind as Query["kind"] } : {}),
    ...(token ? { continuationToken: token } : {}),
    pageSize: 20,
  } } }));
  const statusSelect = select("status", [["", "全部状态"], ...Object.entries(statusText)], status);
  const kindSelect = select("kind", [["", "全部业务"], ...Object.entries(kindText)], kind);
  const form = h("form", { class: "filters" }, field("状态", statusSelect), field("业务类型", kindSelect), h("button", { type: "submit" }, "筛选"));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(`#/applications?${new URLSearchParams([["status", statusSelect.value], ["kind", kindSelect.value]].filter(([, v]) => v))}`);
  });
  const reviewer = ctx.session.role === "city-reviewer" || ctx.session.role === "province-reviewer";
  const rows = page.items.map((a) => [
    link(reviewer ? `#/reviews/${segment(a.id)}` : `#/applications/${segment(a.id)}`, a.id),
    a.kindText, a.certificateNumber, a.holderName, statusBadge(a.status, a.statusText), when(a.createdAt),
  ]);
  const next = page.continuationToken
    ? link(`#/applications?${new URLSearchParams([["status", status], ["kind", kind], ["continuationToken", page.continuationToken]].filter(([, v]) => v))}`, "下一页", { class: "button" })
    : null;
  return {
    title: ctx.session.role === "applicant" ? "我的申请" : ctx.session.role === "enterprise" ? "本单位申请" : "申请查询",
    body: h("div", {}, form, rows.length ? table(["申请编号", "业务", "证书编号", "持证人", "状态", "创建时间"], rows) : empty("没有申请。"), next),
  };
}
