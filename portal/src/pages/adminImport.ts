// Register import (admin): a CSV of the existing register, and the API's report — imported,
// unchanged (never overwritten, so importing again changes nothing) and every rejected line.
import { api, ok, type Schemas } from "../api/client";
import type { Context, Page } from "../app";
import { h, show } from "../ui/dom";
import { card, facts, field, problemBox, run, table } from "../ui/components";

const header = "number,holderName,holderIdNumber,post,employer,employerCode,cityCode,issuedOn,validUntil";

export async function importPage(_ctx: Context): Promise<Page> {
  const box = problemBox();
  const report = h("div", { "aria-live": "polite" });
  const file = h("input", { type: "file", name: "register", accept: ".csv,text/csv", required: true });
  const submit = h("button", { type: "submit", class: "primary" }, "导入");
  const form = h("form", { class: "card" },
    h("p", {}, "上传证书库 CSV 文件（UTF-8），首行为表头：", h("code", {}, header),
      "，可另加 status,employerChangedOn,replacedBy 三列。已存在的证书不会被覆盖，重复导入不产生变化。"),
    field("CSV 文件", file), box, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    report.replaceChildren(); // a refusal must not stand above the previous file's report
    void run(submit, box, async () => {
      const chosen = file.files?.[0];
      if (!chosen) throw new Error("请选择 CSV 文件");
      const csv = await chosen.text();
      const result = await ok(api.POST("/api/admin/certificates/import", {
        body: csv, bodySerializer: (b: string) => b, headers: { "content-type": "text/csv" },
      }));
      show(report, reportCard(chosen.name, result));
    });
  });
  return { title: "导入证书库", body: h("div", { class: "stack" }, form, report) };
}

function reportCard(name: string, r: Schemas["ImportResult"]): HTMLElement {
  return card(`导入结果：${name}`,
    facts([["新导入", String(r.imported)], ["已存在未变", String(r.unchanged)], ["被拒绝", String(r.rejected.length)]]),
    r.rejected.length ? table(["行号", "原因"], r.rejected.map((x) => [String(x.line), x.error]), "被拒绝的行") : h("p", { class: "complete" }, "没有被拒绝的行。"));
}
