// Submitting an application (from a draft, or again after a return). Every check the API makes at
// submission (documents complete, fields valid) comes back as one problem listing all of it; a step
// the API comes to require before submitting (a confirmation of the phone, the commitment's version)
// renders here, above the button, and adds to the request.
import { api, ok, type ApplicationView } from "../api/client";
import type { Context } from "../app";
import { h } from "../ui/dom";
import { button, problemBox, run } from "../ui/components";

export function submitPanel(view: ApplicationView, ctx: Context): HTMLElement {
  const box = problemBox();
  const again = view.status === "cityReturned" || view.status === "provinceReturned";
  const submit: HTMLButtonElement = button(again ? "重新提交" : "提交申请", () => void run(submit, box, async () => {
    await ok(api.POST("/api/applications/{id}/submit", { params: { path: { id: view.id } } }));
    ctx.reload();
  }), { class: "primary" });
  return h("div", { class: "submit" },
    h("p", { class: "hint" }, again ? "重新提交后，申请从市州审核重新开始。" : "提交后申请进入市州审核，审核期间不能修改。"),
    submit, box);
}
