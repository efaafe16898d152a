// Submitting an application (from a draft, or again after a return). Every check the API makes at
// submission (documents complete, fields valid) comes back as one problem listing all of it. The
// commitment (承诺书) in force for the kind is shown above the button; submitting sends the version
// the applicant accepted (GET /api/commitments/{kind}, then {commitmentVersion} in the body).
import { api, ok, type ApplicationView } from "../api/client";
import type { Context } from "../app";
import { h } from "../ui/dom";
import { button, problemBox, run } from "../ui/components";

export function submitPanel(view: ApplicationView, ctx: Context): HTMLElement {
  const box = problemBox();
  const again = view.status === "cityReturned" || view.status === "provinceReturned";
  const text = h("p", { class: "commitment" }, "正在读取承诺书…");
  const accept = h("input", { type: "checkbox", name: "acceptCommitment", id: `accept-${view.id}` });
  const commitment = ok(api.GET("/api/commitments/{kind}", { params: { path: { kind: view.kind } } }));
  commitment.then((c) => { text.textContent = c.text; }, () => { text.textContent = "承诺书读取失败，请刷新页面重试。"; });
  const submit: HTMLButtonElement = button(again ? "重新提交" : "提交申请", () => void run(submit, box, async () => {
    if (!accept.checked) throw new Error("请先阅读并勾选承诺书，再提交申请。");
    const { version } = await commitment;
    await ok(api.POST("/api/applications/{id}/submit", { params: { path: { id: view.id } }, body: { commitmentVersion: version } }));
    ctx.reload();
  }), { class: "primary" });
  return h("div", { class: "submit" },
    h("p", { class: "hint" }, again ? "重新提交后，申请从市州审核重新开始。" : "提交后申请进入市州审核，审核期间不能修改。"),
    text,
    h("label", { for: accept.id }, accept, " 我已阅读上述承诺并保证所填信息真实"),
    submit, box);
}
