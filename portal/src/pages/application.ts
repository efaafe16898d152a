// One application as its filer (or the holder, the employer) follows it: status, what a return
// asks to fix, edit, documents with what is missing, submit, withdraw, the history, the SMS and
// the downloads the API serves.
import { api, ok, segment, serves, type ApplicationView, type BodyOf } from "../api/client";
import type { Context, Page } from "../app";
import { h } from "../ui/dom";
import { button, card, field, input, problemBox, run, select } from "../ui/components";
import { changesSinceLastReturn, historyCard, smsCard, summary, toFixCard } from "../ui/application";
import { documentsCard } from "../ui/documents";
import { downloadButton } from "../ui/download";
import { recordedSms } from "./smsViewer";
import { submitPanel } from "./submitting";
import { reissueReasonText } from "../text";

export async function applicationPage(ctx: Context, [id = ""]: string[]): Promise<Page> {
  const view = await ok(api.GET("/api/applications/{id}", { params: { path: { id } } }));
  const can = (action: string) => view.allowedActions.includes(action);
  const editable = can("edit");
  const filer = editable || can("withdraw") || can("delete");
  return {
    title: `${view.kindText} ${view.id}`,
    body: h("div", { class: "stack" },
      toFixCard(view),
      summary(view),
      can("confirm") ? confirmCard(view, ctx) : null,
      editable ? editCard(view, ctx) : null,
      await documentsCard(view, editable, ctx.reload),
      filer ? actionsCard(view, ctx) : null,
      downloadsCard(view),
      changesSinceLastReturn(view),
      historyCard(view),
      smsCard(view.sms, ctx.config.auth === "dev" && view.notificationPhone.includes("*") === false ? await recordedSms(view.notificationPhone, view.id) : null)),
  };
}

type EditRequest = BodyOf<"/api/applications/{id}", "put">;

/** The fields a filer may edit (a draft, or a returned application: those the return names first). */
function editCard(view: ApplicationView, ctx: Context): HTMLElement {
  const asked = new Set(view.toFix?.fields.map((f) => f.code) ?? []);
  const mark = (code: string, label: string) => (asked.has(code) ? `${label}（需修改）` : label);
  const box = problemBox({ reason: view.kind === "cancellation" ? "注销原因" : "申请说明" });
  const phone = input({ name: "notificationPhone", type: "tel", inputmode: "numeric", value: view.notificationPhone, maxlength: "14" });
  const reason = h("textarea", { name: "reason", rows: 3, maxlength: 500 });
  reason.value = view.reason ?? "";
  const controls: HTMLElement[] = [field(mark("notificationPhone", "接收短信的手机号"), phone)];
  const c = view.changes;
  const changeInputs: Record<string, HTMLInputElement> = {};
  const changeField = (key: "holderName" | "holderIdNumber" | "employer" | "employerCode", label: string, value: string | null | undefined) => {
    changeInputs[key] = input({ name: key, value: value ?? "", autocomplete: "off" });
    controls.push(field(mark(`changes.${key}`, label), changeInputs[key]));
  };
  if (view.kind === "change" && c) {
    if (c.holderName) changeField("holderName", "新姓名", c.holderName);
    else if (c.holderIdNumber) changeField("holderIdNumber", "新身份证号", c.holderIdNumber);
    else { changeField("employer", "新工作单位", c.employer); changeField("employerCode", "新工作单位统一社会信用代码", c.employerCode); }
  }
  const why = view.kind === "reissue" || view.kind === "batchReissue" ? select("reissueReason", Object.entries(reissueReasonText), view.reissueReason ?? "lost") : null;
  if (why) controls.push(field(mark("reissueReason", "补办原因"), why));
  const exception = view.kind === "transfer" ? h("input", { type: "checkbox", name: "socialInsuranceException", checked: view.socialInsuranceException === true }) : null;
  if (exception) controls.push(h("label", { class: "check" }, exception, ` ${mark("socialInsuranceException", "社保例外情形")}`));
  controls.push(field(mark("reason", view.kind === "cancellation" ? "注销原因" : "申请说明"), reason));

  const save = h("button", { type: "submit" }, "保存修改");
  const form = h("form", { novalidate: true }, ...controls, box, save);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void run(save, box, async () => {
      const body: EditRequest = { notificationPhone: phone.value.trim(), reason: reason.value.trim() || null };
      if (Object.keys(changeInputs).length) body.changes = Object.fromEntries(Object.entries(changeInputs).map(([k, v]) => [k, v.value.trim()]));
      if (why) body.reissueReason = why.value as "lost" | "damaged";
      if (exception) body.socialInsuranceException = exception.checked;
      await ok(api.PUT("/api/applications/{id}", { params: { path: { id: view.id } }, body }));
      ctx.reload();
    });
  });
  return card(view.status === "draft" ? "填写申请" : "修改申请", form);
}

function actionsCard(view: ApplicationView, ctx: Context): HTMLElement {
  const box = problemBox();
  const can = (action: string) => view.allowedActions.includes(action);
  const withdraw = can("withdraw") ? button("撤回申请", () => {
    if (!confirm("撤回后本申请结束，确定撤回？")) return;
    void run(withdraw!, box, async () => { await ok(api.POST("/api/applications/{id}/withdraw", { params: { path: { id: view.id } } })); ctx.reload(); });
  }) : null;
  const remove = can("delete") ? button("删除草稿", () => {
    if (!confirm("确定删除该草稿？")) return;
    void run(remove!, box, async () => { await ok(api.DELETE("/api/applications/{id}", { params: { path: { id: view.id } } })); ctx.go("#/applications"); });
  }, { class: "danger" }) : null;
  return card("办理",
    can("submit") ? submitPanel(view, ctx) : null,
    h("div", { class: "actions" }, withdraw, remove), box);
}

/** The other party confirms (the employer a cancellation, the holder a transfer) or refuses. */
function confirmCard(view: ApplicationView, ctx: Context): HTMLElement {
  const box = problemBox();
  const decide = (accept: boolean, b: HTMLButtonElement) => void run(b, box, async () => {
    await ok(api.POST("/api/applications/{id}/confirm", { params: { path: { id: view.id } }, body: { accept } }));
    ctx.reload();
  });
  const yes: HTMLButtonElement = button("确认", () => decide(true, yes), { class: "primary" });
  const no: HTMLButtonElement = button("不同意", () => decide(false, no), { class: "danger" });
  return card("需要您确认", h("p", {}, "该申请需经您确认后才进入审核。"), h("div", { class: "actions" }, yes, no), box);
}

/** The application form and the e-certificate, when the API the portal was built against serves them. */
function downloadsCard(view: ApplicationView): HTMLElement | null {
  const form = serves("GET /api/applications/{id}/form.pdf") && view.status !== "withdrawn"
    ? downloadButton("下载申请表（PDF）", `/api/applications/${segment(view.id)}/form.pdf`, `申请表-${view.id}.pdf`) : null;
  const number = view.lines?.length ? null : view.certificateNumber;
  const certificate = serves("GET /api/certificates/{number}/pdf") && view.status === "approved" && number
    ? downloadButton("下载电子证书", `/api/certificates/${segment(number)}/pdf`, `${number}.pdf`) : null;
  return form || certificate ? card("下载", h("div", { class: "actions" }, form, certificate)) : null;
}
