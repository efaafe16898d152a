// A reviewer's page of one application: its facts, what changed since the last return, every
// document previewed side by side, and the decision: approve, or return with the reason and the
// checklist of what to fix (toFix: fields and documents, told at once).
import { api, ok, type ApplicationView, type DocumentType } from "../api/client";
import type { Context, Page } from "../app";
import { h, show } from "../ui/dom";
import { button, card, checkbox, field, input, problemBox, run, select } from "../ui/components";
import { changesSinceLastReturn, historyCard, smsCard, summary } from "../ui/application";
import { viewer } from "../ui/documents";
import { documentTypeText, fieldText } from "../text";

export async function reviewPage(ctx: Context, [id = ""]: string[]): Promise<Page> {
  const view = await ok(api.GET("/api/applications/{id}", { params: { path: { id } } }));
  const stage = view.allowedActions.includes("cityApprove") ? "city" : view.allowedActions.includes("provinceApprove") ? "province" : null;
  return {
    title: `审核 ${view.kindText} ${view.id}`,
    body: h("div", { class: "review" },
      h("div", { class: "stack" },
        changesSinceLastReturn(view),
        summary(view),
        stage ? await decisionCard(view, stage, ctx) : card("审核", h("p", {}, "该申请当前不在您的审核环节。")),
        historyCard(view),
        smsCard(view.sms)),
      await documentsPanel(view, stage !== null)),
  };
}

/**
 * Every document of the application side by side: opened at once while the application awaits this
 * reviewer's decision, else on request (each opening by a reviewer is recorded in the history).
 */
async function documentsPanel(view: ApplicationView, openAll: boolean): Promise<HTMLElement> {
  const list = await ok(api.GET("/api/applications/{id}/documents", { params: { path: { id: view.id } } })).catch((error: unknown) => error as Error);
  if (list instanceof Error) {
    // Documents open to the reviewers of the current stage (and, once finished, to the city's and the province's).
    const section = card("申请材料", h("p", { class: "hint" }, list.message));
    section.classList.add("documents-panel");
    return section;
  }
  const grid = h("div", { class: "gallery" });
  const section = card(`申请材料（${list.items.length}）`,
    list.missingDocumentTypes.length ? h("p", { class: "missing" }, `尚缺：${list.missingDocumentTypes.map((t) => documentTypeText[t]).join("、")}`) : null,
    list.documentsPurgedAt ? h("p", { class: "hint" }, "材料已按保存期限删除。") : null,
    grid);
  section.classList.add("documents-panel");
  const openInto = async (slot: HTMLElement, d: (typeof list.items)[number]) => {
    show(slot, h("p", { class: "loading" }, `正在打开 ${d.typeText}…`));
    try {
      show(slot, await viewer(view.id, d));
    } catch (error) {
      show(slot, h("p", { class: "problem" }, `${d.typeText}：${error instanceof Error ? error.message : String(error)}`));
    }
  };
  await Promise.all(list.items.map(async (d) => {
    const slot = h("div", { class: "slot" });
    grid.append(slot);
    if (openAll) await openInto(slot, d);
    else show(slot, h("p", {}, `${d.typeText} · ${d.fileName} `, button("查看", () => void openInto(slot, d), { "aria-label": `查看 ${d.typeText}` })));
  }));
  return section;
}

/** The fields a return may name for this application (those it has), as the API's JSON paths. */
function correctableFields(view: ApplicationView): string[] {
  const fields = ["notificationPhone"];
  const c = view.changes;
  if (view.kind === "change" && c) {
    if (c.holderName) fields.push("changes.holderName");
    else if (c.holderIdNumber) fields.push("changes.holderIdNumber");
    else fields.push("changes.employer", "changes.employerCode");
  }
  if (view.kind === "reissue" || view.kind === "batchReissue") fields.push("reissueReason");
  if (view.kind === "transfer") fields.push("socialInsuranceException");
  fields.push("reason");
  return fields;
}

async function decisionCard(view: ApplicationView, stage: "city" | "province", ctx: Context): Promise<HTMLElement> {
  const types = await ok(api.GET("/api/document-types", { params: { query: { kind: view.kind } } }));
  const box = problemBox({ reason: "退回原因", toFix: "需要修改的内容或重新上传的材料" });
  const decision = h("fieldset", { class: "choice" }, h("legend", {}, "审核结论"),
    h("label", { class: "check" }, h("input", { type: "radio", name: "decision", value: "approve", checked: true }), " 通过"),
    h("label", { class: "check" }, h("input", { type: "radio", name: "decision", value: "return" }), " 退回补正"));
  const reason = h("textarea", { name: "reason", rows: 3, maxlength: 500 });
  const fields = h("fieldset", { class: "checklist" }, h("legend", {}, "需要修改的内容"),
    ...correctableFields(view).map((f) => checkbox("field", f, fieldText[f] ?? f)));
  const documents = h("fieldset", { class: "checklist" }, h("legend", {}, "需要重新上传的材料"),
    ...types.map((t) => checkbox("documentType", t.type, t.label)));
  const returnPart = h("div", { class: "return-part" }, field("退回原因（申请人将在短信中看到）", reason), fields, documents);
  const condition = view.kind === "transfer" && stage === "city"
    ? select("conditionMet", [["oldEmployer3MonthsPlusNew1Month", "原单位社保满3个月且新单位满1个月"], ["newEmployer3Months", "新单位社保满3个月"]]) : null;
  const strikeReasons = (view.lines ?? []).filter((l) => !l.struck).map((l) => ({ line: l, reason: input({ name: `strike-${l.certificateNumber}`, placeholder: "剔除原因（不剔除则留空）" }) }));
  const approvePart = h("div", { class: "approve-part" },
    condition ? field("满足的条件", condition) : null,
    ...strikeReasons.map(({ line, reason: r }) => field(`${line.certificateNumber} ${line.holderName}`, r)));
  const sync = () => {
    const returning = (decision.querySelector("input:checked") as HTMLInputElement).value === "return";
    returnPart.hidden = !returning;
    approvePart.hidden = returning || approvePart.childElementCount === 0;
  };
  decision.addEventListener("change", sync);
  sync();

  const submit = h("button", { type: "submit", class: "primary" }, "提交审核结论");
  const form = h("form", { novalidate: true }, decision, approvePart, returnPart, box, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void run(submit, box, async () => {
      const data = new FormData(form);
      const returning = data.get("decision") === "return";
      const strike = strikeReasons.filter((s) => s.reason.value.trim()).map((s) => ({ certificateNumber: s.line.certificateNumber, reason: s.reason.value.trim() }));
      const body = returning
        ? { decision: "return" as const, reason: reason.value.trim(), toFix: { fields: data.getAll("field").map(String), documentTypes: data.getAll("documentType").map(String) as DocumentType[] } }
        : { decision: "approve" as const, ...(condition ? { conditionMet: condition.value as "newEmployer3Months" | "oldEmployer3MonthsPlusNew1Month" } : {}), ...(strike.length ? { strike } : {}) };
      const params = { path: { id: view.id } };
      if (stage === "city") await ok(api.POST("/api/applications/{id}/events/city-review", { params, body }));
      else await ok(api.POST("/api/applications/{id}/events/province-review", { params, body }));
      ctx.reload();
    });
  });
  return card(stage === "city" ? "市州审核" : "省级审核", form);
}
