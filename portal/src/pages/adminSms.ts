// SMS failures (admin): the SMS of applications, those parked as failed first, each failed one
// with a resend (POST …/sms/{messageId}/resend sends it again as a new message). An application
// named by its id (from the outbox-poison queue) opens directly; otherwise the latest applications
// are looked through a page at a time.
import { api, ok, segment, type ApplicationView } from "../api/client";
import type { Context, Page } from "../app";
import { h } from "../ui/dom";
import { button, card, empty, field, input, link, problemBox, run, statusBadge, table } from "../ui/components";
import { smsTemplateText, when } from "../text";

export async function smsFailuresPage(ctx: Context, _params: string[], query: URLSearchParams): Promise<Page> {
  const id = query.get("id")?.trim() ?? "";
  const token = query.get("continuationToken");
  const search = input({ name: "id", value: id, autocomplete: "off", placeholder: "SQ…" });
  const form = h("form", { class: "filters", role: "search" }, field("申请编号", search), h("button", { type: "submit" }, "查看"));
  form.addEventListener("submit", (event) => { event.preventDefault(); ctx.go(`#/admin/sms?id=${segment(search.value.trim())}`); });

  let views: ApplicationView[];
  let next: string | null = null;
  if (id) views = [await ok(api.GET("/api/applications/{id}", { params: { path: { id } } }))];
  else {
    const page = await ok(api.GET("/api/applications", { params: { query: { pageSize: 20, ...(token ? { continuationToken: token } : {}) } } }));
    next = page.continuationToken;
    views = await Promise.all(page.items.map((a) => ok(api.GET("/api/applications/{id}", { params: { path: { id: a.id } } }))));
  }
  const withSms = views.filter((v) => v.sms.length).sort((a, b) => failed(b) - failed(a));
  const failures = views.reduce((n, v) => n + failed(v), 0);
  return {
    title: "短信发送",
    body: h("div", { class: "stack" }, form,
      h("p", { role: "status" }, id ? `申请 ${id}` : "最近的申请", `：发送失败 ${failures} 条。`),
      withSms.length ? withSms.map((v) => smsOf(v, ctx)) : empty("没有短信记录。"),
      next ? link(`#/admin/sms?continuationToken=${segment(next)}`, "查看更早的申请", { class: "button" }) : null),
  };
}

const failed = (v: ApplicationView) => v.sms.filter((s) => s.status === "failed").length;

function smsOf(view: ApplicationView, ctx: Context): HTMLElement {
  const box = problemBox();
  const rows = view.sms.map((s) => {
    const resend: HTMLButtonElement | null = s.status === "failed" ? button("重新发送", () => void run(resend!, box, async () => {
      await ok(api.POST("/api/admin/applications/{id}/sms/{messageId}/resend", { params: { path: { id: view.id, messageId: s.messageId } } }));
      ctx.reload();
    }), { "aria-label": `重新发送 ${view.id} 的短信` }) : null;
    return [smsTemplateText[s.template] ?? s.template, s.to, statusBadge(s.status, s.statusText), String(s.attempts), s.lastError ?? "—", when(s.sentAt ?? s.lastAttemptAt), resend ?? "—"];
  });
  return card(`${view.kindText} ${view.id}`, table(["短信", "发送至", "状态", "尝试", "最近错误", "时间", ""], rows), box);
}
