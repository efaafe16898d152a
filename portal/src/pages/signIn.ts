// Sign-in. Development: the token endpoint of a Development API, for a role and a person,
// enterprise or city (with the demo register's people to pick). Production: MSAL's redirect.
import type { Page } from "../app";
import { DevAuthenticator } from "../auth/dev";
import type { Authenticator } from "../auth/session";
import type { PortalConfig } from "../config";
import { h } from "../ui/dom";
import { button, field, input, problemBox, run, select } from "../ui/components";
import { cities, roleText, type Role } from "../text";

/** People of the demo register (demo/register.csv, synthetic) to sign in as with one choice. */
const examples: { label: string; role: Role; subject: string; name: string; city?: string; org?: string }[] = [
  { label: "持证人 王磊（兰州市）", role: "applicant", subject: "620101198001157469", name: "王磊" },
  { label: "企业 兰州远安建筑安装有限公司", role: "enterprise", subject: "ya-staff-1", name: "远安经办人", org: "91620100TH2HUCCP5Y" },
  { label: "兰州市审核员", role: "city-reviewer", subject: "lz-reviewer-1", name: "兰州市审核员", city: "620100" },
  { label: "省厅审核员", role: "province-reviewer", subject: "gs-reviewer-1", name: "省厅审核员" },
  { label: "管理员", role: "admin", subject: "admin-1", name: "管理员" },
];

export async function signInPage(auth: Authenticator, _config: PortalConfig, signedIn: () => void): Promise<Page> {
  if (!(auth instanceof DevAuthenticator)) {
    const box = problemBox();
    const go = button("登录", () => void run(go, box, async () => { await (auth as unknown as { signIn(): Promise<void> }).signIn(); }), { class: "primary" });
    return { title: "登录", body: h("div", { class: "card narrow" }, h("p", {}, "使用统一身份认证账号登录后办理业务。"), box, go) };
  }

  const box = problemBox();
  const example = select("example", [["", "（自行填写）"], ...examples.map((e, i): [string, string] => [String(i), e.label])]);
  const role = select("role", Object.entries(roleText) as [string, string][], "applicant");
  const subject = input({ name: "subject", autocomplete: "off", required: true });
  const name = input({ name: "name", autocomplete: "name", required: true });
  const city = select("city", cities.map(([code, n]): [string, string] => [code, `${n}（${code}）`]));
  const org = input({ name: "org", autocomplete: "off", maxlength: "18" });
  const subjectField = field("身份证号", subject);
  const cityField = field("所属市州", city);
  const orgField = field("统一社会信用代码", org);

  const sync = () => {
    const r = role.value as Role;
    subjectField.querySelector("label")!.textContent = r === "applicant" ? "身份证号" : "用户标识";
    cityField.hidden = r !== "city-reviewer";
    orgField.hidden = r !== "enterprise";
  };
  role.addEventListener("change", sync);
  example.addEventListener("change", () => {
    const e = examples[Number(example.value)];
    if (!example.value || !e) return;
    role.value = e.role;
    subject.value = e.subject;
    name.value = e.name;
    if (e.city) city.value = e.city;
    org.value = e.org ?? "";
    sync();
  });
  sync();

  const submit = h("button", { type: "submit", class: "primary" }, "登录");
  const form = h("form", { class: "card narrow", novalidate: true },
    h("p", { class: "hint" }, "开发环境登录：由本地 API 签发开发令牌（仅 Development 环境提供）。"),
    field("示例身份", example, "演示证书库中的人员，选择后自动填写"),
    field("角色", role), subjectField, field("姓名", name), cityField, orgField, box, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void run(submit, box, async () => {
      const r = role.value as Role;
      await auth.signIn({
        role: r, subject: subject.value.trim(), name: name.value.trim(),
        ...(r === "city-reviewer" ? { city: city.value } : {}),
        ...(r === "enterprise" ? { org: org.value.trim() } : {}),
      });
      signedIn();
    });
  });
  return { title: "登录", body: form };
}
