// The reviewer's queue (oldest first) with filters and summary counts. Each filter is a field named
// as its query parameter of GET /api/reviews/pending and kept in the page's address; the API is
// sent those its document declares, and the rest narrow the loaded page here. The counts come from
// GET /api/reviews/summary.
import { api, ok, queryParameters, segment, type Schemas } from "../api/client";
import type { Context, Page } from "../app";
import { h } from "../ui/dom";
import { card, checkbox, empty, field, input, link, select, statusBadge, table } from "../ui/components";
import { cities, cityName, kindText, when } from "../text";

type Item = Schemas["ApplicationSummaryView"];
type Filter = "kind" | "city" | "overdue" | "escalated" | "submittedFrom" | "submittedTo" | "q";

/** How each filter narrows a loaded page, where the queue's items carry what it needs. */
const local: Partial<Record<Filter, (item: Item, value: string) => boolean>> = {
  kind: (i, v) => i.kind === v,
  city: (i, v) => i.cityCode === v,
  overdue: (i, v) => (v === "true") === (i.overdue === true),
  submittedFrom: (i, v) => !!i.submittedAt && i.submittedAt.slice(0, 10) >= v,
  submittedTo: (i, v) => !!i.submittedAt && i.submittedAt.slice(0, 10) <= v,
  q: (i, v) => [i.id, i.certificateNumber, i.holderName].some((x) => x.toLowerCase().includes(v.toLowerCase())),
};

const operation = "GET /api/reviews/pending";

export async function reviewQueuePage(ctx: Context, _params: string[], query: URLSearchParams): Promise<Page> {
  const byApi = new Set(queryParameters(operation));
  const filters: Filter[] = ["q", "kind", "city", "overdue", "escalated", "submittedFrom", "submittedTo"];
  const usable = filters.filter((f) => (byApi.has(f) || local[f]) && (f !== "city" || ctx.session.role === "province-reviewer"));
  const values = Object.fromEntries(usable.map((f) => [f, query.get(f) ?? ""]).filter(([, v]) => v)) as Partial<Record<Filter, string>>;
  const sent = Object.fromEntries(Object.entries(values).filter(([f]) => byApi.has(f)));
  const cursor = query.get("cursor");

  const page = await ok(api.GET("/api/reviews/pending", { params: { query: { ...sent, limit: "50", ...(cursor ? { cursor } : {}) } } }));
  const items = page.items.filter((item) => Object.entries(values).every(([f, v]) => byApi.has(f) || !local[f as Filter] || local[f as Filter]!(item, v!)));
  const narrowedHere = Object.keys(values).some((f) => !byApi.has(f));

  const rows = items.map((a) => [
    link(`#/reviews/${segment(a.id)}`, a.id), a.kindText, a.certificateNumber, a.holderName, cityName(a.cityCode),
    when(a.submittedAt), statusBadge(a.status, a.statusText),
    a.dueOn ? h("span", { class: a.overdue ? "overdue" : "" }, `${a.dueOn}${a.overdue ? " 已超期" : a.remainingWorkingDays !== null && a.remainingWorkingDays !== undefined ? ` 剩${a.remainingWorkingDays}个工作日` : ""}`) : "—",
  ]);
  const next = page.next ? link(`#/reviews?${new URLSearchParams({ ...values, cursor: page.next })}`, "下一页", { class: "button" }) : null;
  return {
    title: "待审核",
    body: h("div", { class: "stack" },
      await summaryCard(ctx),
      filterForm(usable, values, ctx),
      narrowedHere ? h("p", { class: "hint" }, "部分筛选条件在本页已加载的申请中查找。") : null,
      rows.length ? table(["申请编号", "业务", "证书编号", "持证人", "市州", "提交时间", "状态", "办理期限"], rows) : empty("没有待审核的申请。"),
      next),
  };
}

function filterForm(usable: Filter[], values: Partial<Record<Filter, string>>, ctx: Context): HTMLElement {
  const controls: Partial<Record<Filter, HTMLElement>> = {
    q: field("申请编号、证书编号或姓名", input({ name: "q", type: "search", value: values.q ?? "" })),
    kind: field("业务类型", select("kind", [["", "全部"], ...Object.entries(kindText)], values.kind)),
    city: field("市州", select("city", [["", "全部"], ...cities], values.city)),
    overdue: checkbox("overdue", "true", "仅看超期", values.overdue === "true"),
    escalated: checkbox("escalated", "true", "仅看已督办", values.escalated === "true"),
    submittedFrom: field("提交日期从", input({ name: "submittedFrom", type: "date", value: values.submittedFrom ?? "" })),
    submittedTo: field("提交日期至", input({ name: "submittedTo", type: "date", value: values.submittedTo ?? "" })),
  };
  const form = h("form", { class: "filters", role: "search", "aria-label": "筛选待审核申请" },
    ...usable.map((f) => controls[f]), h("button", { type: "submit" }, "筛选"), link("#/reviews", "清除", { class: "button" }));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const chosen = [...data.entries()].map(([k, v]) => [k, String(v).trim()]).filter(([, v]) => v);
    ctx.go(`#/reviews?${new URLSearchParams(chosen)}`);
  });
  return form;
}

/**
 * The counts of GET /api/reviews/summary for the caller's whole scope (the filters narrow the list,
 * not the counts): what waits at the caller's stage, overdue and escalated first; then every status
 * of a submitted application, finished ones included; for the province, each city.
 */
async function summaryCard(ctx: Context): Promise<HTMLElement> {
  const s = await ok(api.GET("/api/reviews/summary"));
  const waiting = ctx.session.role === "province-reviewer" ? "pendingProvinceReview" : "pendingCityReview";
  const count = (status: string) => s.byStatus.find((x) => x.status === status)?.count ?? 0;
  const tile = (n: number | string, label: string) => h("li", {}, h("span", { class: "number" }, String(n)), h("span", {}, label));
  return card("统计", h("div", { class: "counts" },
    h("ul", { class: "tiles" },
      tile(count(waiting), "待本级审核"), tile(s.overdue, "已超期"), tile(s.escalated, "已督办")),
    h("h3", {}, `按状态（全部已提交的申请，共 ${s.total} 件）`),
    h("ul", { class: "tiles small" }, ...s.byStatus.map((x) => tile(x.count, x.statusText))),
    ctx.session.role === "province-reviewer" && s.byCity.length
      ? table(["市州", "合计", "待市州审核", "待省级审核", "已超期", "已督办"], s.byCity.map((c) => [
          c.cityName ?? cityName(c.cityCode), String(c.total),
          String(c.byStatus.find((x) => x.status === "pendingCityReview")?.count ?? 0),
          String(c.byStatus.find((x) => x.status === "pendingProvinceReview")?.count ?? 0),
          String(c.overdue), String(c.escalated)]), "按市州")
      : null,
    h("p", { class: "hint" }, `统计时间 ${when(s.asOf)}`)));
}
