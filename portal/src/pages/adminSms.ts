// SMS failures (admin): every SMS parked as failed across applications, the latest failure first
// (GET /api/admin/sms/failures, one key range), each with a resend (POST …/sms/{messageId}/resend
// sends it again as a new message and takes it off the list). An application named by its id
// (for instance from the outbox-poison queue) shows all of its SMS.
import { api, ok, segment, type ApplicationView, type Schemas } from "../api/client";
import type { Context, Page } from "../app";
import { h } from "../ui/dom";
import { button, card, empty, field, input, link, problemBox, refusal, run, statusBadge, table } from "../ui/components";
import { smsTemplateText, when } from "../text";

type SmsFailure = Schemas["SmsFailureView"];

export async function smsFailuresPage(ctx: Context, _params: string[], query: URLSearchParams): Promise<Page> {
  const id = query.get("id")?.trim() ?? "";
  const token = query.get("continuationToken");
  const search = input({ name: "id", value: id, autocomplete: "off", placeholder: "SQ…" });
  const form = h("form", { class: "filters", role: "search" }, field("申请编号", search), h("button", { type: "submit" }, "查看"));
  form.addEventListener("submit", (event) => { event.preventDefault(); ctx.go(`#/admin/sms?id=${segment(search.value.trim())}`); });

  if (id) {
    let view: ApplicationView;
    try {
      view = await ok(api.GET("/api/applications/{id}", { params: { path: { id } } }));
    } catch (error) {
      return { title: "短信发送", body: h("div", { class: "stack" }, form, refusal(error), link("#/admin/sms", "返回发送失败列表", { class: "button" })) };
    }
    return {
      title: "短信发送",
      body: h("div", { class: "stack" }, form,
        h("p", { role: "status" }, `申请 ${id}：发送失败 ${view.sms.filter((s) => s.status === "failed").length} 条。`),
        view.sms.length ? smsOf(view, ctx) : empty("该申请没有短信记录。"),
        link("#/admin/sms", "返回发送失败列表", { class: "button" })),
    };
  }
  const page = await ok(api.GET("/api/admin/sms/failures", { params: { query: { pageSize: 20, ...(token ? { continuationToken: token } : {}) } } }));
  return {
    title: "短信发送",
    body: h("div", { class: "stack" }, form,
      h("p", { role: "status" }, page.items.length ? `发送失败待处理 ${page.items.length}${page.continuationToken ? "+" : ""} 条（最近失败的在前）。` : "没有发送失败的短信。"),
      page.items.length ? failuresTable(page.items, ctx) : null,
      page.continuationToken ? link(`#/admin/sms?continuationToken=${segment(page.continuationToken)}`, "下一页", { class: "button" }) : null),
  };
}

function failuresTable(items: SmsFailure[], ctx: Context): HTMLElement {
  const box = problemBox();
  const rows = items.map((f) => {
    const resend: HTMLButtonElement = button("重新发送", () => void run(resend, box, async () => {
      await ok(api.POST("/api/admin/applications/{id}/sms/{messageId}/resend", { params: { path: { id: f.applicationId, messageId: f.messageId } } }));
      ctx.reload();
    }), { "aria-label": `重新发送 ${f.applicationId} 的短信` });
    return [link(`#/admin/sms?id=${segment(f.applicationId)}`, f.applicationId), smsTemplateText[f.template] ?? f.template, f.to, String(f.attempts),
      `${f.lastError ?? "—"}${f.uncertain ? "（网关未明确答复，可能已送达）" : ""}`, when(f.failedAt), resend];
  });
  return card("发送失败的短信", table(["申请编号", "短信", "发送至", "尝试", "最近错误", "失败时间", ""], rows), box);
}

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
