// The SMS the local gateway recorded (Development only: GET /api/dev/sms), to read the texts an
// applicant would receive.
import { api, ok } from "../api/client";
import type { Context, Page } from "../app";
import { h } from "../ui/dom";
import { empty, field, input, refusal, table } from "../ui/components";
import { when } from "../text";

/** The recorded texts sent to a phone about one application (null when there are none). */
export async function recordedSms(phone: string, applicationId: string): Promise<HTMLElement | null> {
  const all = await ok(api.GET("/api/dev/sms", { params: { query: { phone } } })).catch(() => []);
  const mine = all.filter((s) => s.applicationId === applicationId);
  return mine.length
    ? h("div", { class: "sms-texts" }, h("h3", {}, "收到的短信（开发环境记录）"), ...mine.map((s) => h("blockquote", { class: "sms" }, h("p", {}, s.text), h("footer", {}, when(s.at)))))
    : null;
}

export async function smsViewerPage(ctx: Context, _params: string[], query: URLSearchParams): Promise<Page> {
  const phone = query.get("phone") ?? "";
  const box = input({ name: "phone", type: "tel", inputmode: "numeric", value: phone, maxlength: "14" });
  const form = h("form", { class: "filters" }, field("手机号", box), h("button", { type: "submit" }, "查看"));
  form.addEventListener("submit", (event) => { event.preventDefault(); ctx.go(`#/sms?phone=${encodeURIComponent(box.value.trim())}`); });
  let result: HTMLElement | null = null;
  if (phone) {
    try {
      const list = await ok(api.GET("/api/dev/sms", { params: { query: { phone } } }));
      result = list.length ? table(["时间", "申请编号", "短信内容"], list.map((s) => [when(s.at), s.applicationId, s.text])) : empty("该号码没有短信记录。");
    } catch (error) {
      result = refusal(error);
    }
  }
  return {
    title: "短信记录（开发环境）",
    body: h("div", {}, h("p", { class: "hint" }, "本地短信网关记录的短信，生产环境没有此页面。"), form, result),
  };
}
