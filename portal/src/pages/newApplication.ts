// Files a draft of each kind: the fields of the API's CreateApplicationRequest for that kind, and
// the list of documents it will need (GET /api/document-types). Then the application's page takes
// the uploads and the submission.
import { api, ok, segment, type ApplicationKind, type BodyOf } from "../api/client";
import type { Context, Page } from "../app";
import { h } from "../ui/dom";
import { card, field, input, problemBox, run, select } from "../ui/components";
import { cities, kindText, reissueReasonText } from "../text";

type CreateRequest = BodyOf<"/api/applications", "post">;
type ChangeItem = "holderName" | "holderIdNumber" | "employer";

const applicantKinds: ApplicationKind[] = ["change", "reissue", "cancellation", "extension"];
const enterpriseKinds: ApplicationKind[] = [...applicantKinds, "transfer", "batchReissue", "enterpriseChange"];

export async function newApplicationPage(ctx: Context, _params: string[], query: URLSearchParams): Promise<Page> {
  const kinds = ctx.session.role === "enterprise" ? enterpriseKinds : applicantKinds;
  const kind = (kinds.includes(query.get("kind") as ApplicationKind) ? query.get("kind") : "change") as ApplicationKind;
  const number = query.get("number") ?? "";

  const kindSelect = select("kind", kinds.map((k): [string, string] => [k, kindText[k]]), kind);
  kindSelect.addEventListener("change", () => ctx.go(`#/applications/new?kind=${kindSelect.value}${number ? `&number=${segment(number)}` : ""}`));

  const box = problemBox();
  const needs = h("div", { class: "needs", "aria-live": "polite" });
  const form = h("form", { class: "card", novalidate: true });
  const fields = kindFields(kind, ctx, number, (changeItem) => void showNeeds(needs, kind, changeItem));
  const phone = input({ name: "notificationPhone", type: "tel", inputmode: "numeric", autocomplete: "tel", maxlength: "14", required: true });
  const reason = h("textarea", { name: "reason", rows: 3, maxlength: 500 });
  const submit = h("button", { type: "submit", class: "primary" }, "保存草稿");
  form.append(
    field("业务类型", kindSelect),
    ...fields.elements,
    field("接收审核结果短信的手机号", phone, "审核结果将以短信发送到此号码"),
    field(kind === "cancellation" ? "注销原因" : "申请说明（选填）", reason),
    box, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void run(submit, box, async () => {
      const body: CreateRequest = { kind, notificationPhone: phone.value.trim(), ...fields.values() };
      if (reason.value.trim()) body.reason = reason.value.trim();
      const created = await ok(api.POST("/api/applications", { body, headers: { "idempotency-key": crypto.randomUUID() } }));
      ctx.go(`#/applications/${segment(created.id)}`);
    });
  });
  void showNeeds(needs, kind, fields.changeItem());
  return { title: `办理业务：${kindText[kind]}`, body: h("div", { class: "split" }, form, card("需要上传的材料", needs)) };
}

/** The kind's own fields and how to read them into the request. */
function kindFields(kind: ApplicationKind, ctx: Context, number: string, changed: (item: ChangeItem) => void): {
  elements: HTMLElement[]; values(): Partial<CreateRequest>; changeItem(): ChangeItem | undefined;
} {
  const certificate = input({ name: "certificateNumber", value: number, required: true, autocomplete: "off", placeholder: "如 甘建安C（2025）0100001" });
  const certificateField = field("证书编号", certificate);
  const text = (v: HTMLInputElement | HTMLTextAreaElement) => v.value.trim();
  switch (kind) {
    case "change": {
      const item = select("changeItem", [["holderName", "姓名"], ["holderIdNumber", "身份证号"], ["employer", "工作单位"]], "holderName");
      const name = input({ name: "holderName", autocomplete: "off" });
      const idNumber = input({ name: "holderIdNumber", autocomplete: "off", maxlength: "18" });
      const employer = input({ name: "employer", autocomplete: "organization" });
      const employerCode = input({ name: "employerCode", autocomplete: "off", maxlength: "18" });
      const groups: Record<ChangeItem, HTMLElement[]> = {
        holderName: [field("新姓名", name)],
        holderIdNumber: [field("新身份证号", idNumber)],
        employer: [field("新工作单位", employer), field("新工作单位统一社会信用代码", employerCode)],
      };
      const sync = () => {
        for (const [k, els] of Object.entries(groups)) for (const el of els) el.hidden = k !== item.value;
        changed(item.value as ChangeItem);
      };
      item.addEventListener("change", sync);
      for (const [k, els] of Object.entries(groups)) for (const el of els) el.hidden = k !== "holderName";
      return {
        elements: [certificateField, field("变更事项（每次只能变更一项）", item), ...Object.values(groups).flat()],
        changeItem: () => item.value as ChangeItem,
        values: () => ({
          certificateNumber: text(certificate),
          changes: item.value === "holderName" ? { holderName: text(name) }
            : item.value === "holderIdNumber" ? { holderIdNumber: text(idNumber) }
            : { employer: text(employer), employerCode: text(employerCode) },
        }),
      };
    }
    case "reissue": {
      const why = select("reissueReason", Object.entries(reissueReasonText), "lost");
      return { elements: [certificateField, field("补办原因", why)], changeItem: () => undefined,
        values: () => ({ certificateNumber: text(certificate), reissueReason: why.value as "lost" | "damaged" }) };
    }
    case "transfer": {
      const holder = input({ name: "holderIdNumber", autocomplete: "off", maxlength: "18", required: true });
      const exception = h("input", { type: "checkbox", name: "socialInsuranceException" });
      return {
        elements: [certificateField, field("持证人身份证号", holder, "调入由接收单位申请，持证人确认后由本单位所在市州审核"),
          h("label", { class: "check" }, exception, " 社保例外情形（距上次变更工作单位不足3个月，附社保缴纳证明）")],
        changeItem: () => undefined,
        values: () => ({ certificateNumber: text(certificate), holderIdNumber: text(holder), ...(exception.checked ? { socialInsuranceException: true } : {}) }),
      };
    }
    case "batchReissue": {
      const numbers = h("textarea", { name: "certificateNumbers", rows: 5, required: true });
      numbers.value = number;
      const why = select("reissueReason", Object.entries(reissueReasonText), "lost");
      return {
        elements: [field("证书编号（每行一个，最多200个）", numbers), field("补办原因", why)],
        changeItem: () => undefined,
        values: () => ({ certificateNumbers: numbers.value.split(/\s*\n\s*/).map((n) => n.trim()).filter(Boolean), reissueReason: why.value as "lost" | "damaged" }),
      };
    }
    case "enterpriseChange": {
      const newName = input({ name: "newName", autocomplete: "organization" });
      const newCity = select("newCityCode", [["", "（不迁移）"], ...cities.map(([c, n]): [string, string] => [c, n])]);
      return {
        elements: [h("p", {}, `企业：${ctx.session.org ?? ""}`), field("新企业名称（不变更则留空）", newName), field("迁入市州", newCity)],
        changeItem: () => undefined,
        values: () => ({ enterpriseCode: ctx.session.org ?? "", ...(text(newName) ? { newName: text(newName) } : {}), ...(newCity.value ? { newCityCode: newCity.value } : {}) }),
      };
    }
    default:
      return { elements: [certificateField], changeItem: () => undefined, values: () => ({ certificateNumber: text(certificate) }) };
  }
}

async function showNeeds(target: HTMLElement, kind: ApplicationKind, changeItem: ChangeItem | undefined): Promise<void> {
  const types = await ok(api.GET("/api/document-types", { params: { query: { kind, ...(changeItem ? { changeItem } : {}) } } }));
  target.replaceChildren(h("ul", { class: "needs-list" }, ...types.map((t) =>
    h("li", {}, t.label, t.required ? h("span", { class: "badge required" }, "必需") : h("span", { class: "badge" }, "选填")))),
    h("p", { class: "hint" }, "保存草稿后上传材料：JPEG、PNG 或 PDF。"));
}
