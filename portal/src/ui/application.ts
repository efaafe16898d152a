// How an application reads, shared by the filer's page and the reviewer's: its facts, what a
// return asks to fix, the history (操作轨迹), the SMS, and what changed since the last return.
import type { ApplicationView, Schemas } from "../api/client";
import { h } from "./dom";
import { card, facts, statusBadge, table } from "./components";
import { cityName, reissueReasonText, smsTemplateText, when } from "../text";

export function summary(view: ApplicationView): HTMLElement {
  const c = view.changes;
  const asked = c?.holderName ? `姓名改为 ${c.holderName}` : c?.holderIdNumber ? `身份证号改为 ${c.holderIdNumber}`
    : c?.employer ? `工作单位改为 ${c.employer}${c.employerCode ? `（${c.employerCode}）` : ""}` : null;
  const stage = view.deadline?.stage;
  return card("申请信息", facts([
    ["申请编号", view.id],
    ["业务类型", view.kindText],
    ["状态", statusBadge(view.status, view.statusText)],
    ["证书编号", view.certificateNumber || null],
    ["持证人", view.holder.name ? `${view.holder.name}（${view.holder.idNumber}）` : null],
    ["审核市州", view.cityName ?? cityName(view.cityCode)],
    ["短信手机号", view.notificationPhone],
    ["变更内容", asked],
    ["补办原因", view.reissueReason ? reissueReasonText[view.reissueReason] : null],
    ["申请说明", view.reason],
    ["企业", view.enterprise ? `${view.enterprise.name}（${view.enterprise.uscc}）${view.enterprise.newName ? ` → ${view.enterprise.newName}` : ""}${view.enterprise.newCityCode ? ` 迁至 ${cityName(view.enterprise.newCityCode)}` : ""}` : null],
    ["提交时间", view.submittedAt ? when(view.submittedAt) : null],
    ["第几次提交", Number(view.round) > 1 ? String(view.round) : null],
    ["本环节办理期限", stage ? `${stage.dueOn}${stage.overdue ? "（已超期）" : `（剩余 ${stage.remainingWorkingDays} 个工作日）`}${stage.escalated ? "，已督办" : ""}` : null],
  ]),
  view.warnings.length ? h("ul", { class: "warnings" }, ...view.warnings.map((w) => h("li", {}, w))) : null,
  view.lines?.length ? table(["证书编号", "持证人", "岗位", "结果"], view.lines.map((l) => [l.certificateNumber, l.holderName, l.post,
    l.struck ? `已剔除：${l.strikeReason ?? ""}` : l.newCertificateNumber ? `新证书 ${l.newCertificateNumber}` : "—"]), "批量补办的证书") : null);
}

/**
 * The return that sent the application back to the filer, while it is back with them: the last entry
 * that moved it into its status (the filer's edits and uploads after it stay in that status).
 */
export function lastReturn(view: ApplicationView): ApplicationView["history"][number] | undefined {
  if (view.status !== "cityReturned" && view.status !== "provinceReturned") return undefined;
  return [...view.history].reverse().find((e) => e.to === view.status && e.from !== e.to);
}

/** The last return's reason and checklist (一次告知), while the application is back with the filer. */
export function toFixCard(view: ApplicationView): HTMLElement | null {
  const returned = lastReturn(view);
  if (!returned) return null;
  const fix = view.toFix;
  return h("section", { class: "card attention", "aria-labelledby": "to-fix" },
    h("h2", { id: "to-fix" }, "需要补正的内容"),
    returned.reason ? h("p", {}, `退回原因：${returned.reason}`) : null,
    fix && (fix.fields.length || fix.documentTypes.length)
      ? h("ul", { class: "checklist" },
          ...fix.fields.map((f) => h("li", {}, `修改：${f.label}`)),
          ...fix.documentTypes.map((d) => h("li", {}, `重新上传：${d.label}`)))
      : null,
    h("p", { class: "hint" }, "修改并补齐材料后重新提交，申请将从市州审核重新开始。"));
}

type HistoryEntry = ApplicationView["history"][number];

/**
 * The history as a reader wants it: a reviewer's run of document openings (each one recorded, as the
 * audit of who read what requires) is one line with the documents and how many openings, from the
 * first to the last time.
 */
export function readableHistory(history: HistoryEntry[]): { entry: HistoryEntry; openings: number; until: string | null }[] {
  const lines: { entry: HistoryEntry; openings: number; until: string | null }[] = [];
  for (const e of history) {
    const last = lines.at(-1);
    if (e.action === "openDocument" && last?.entry.action === "openDocument" && last.entry.actor.name === e.actor.name && last.entry.actor.role === e.actor.role) {
      const documents = [...(last.entry.documents ?? []), ...(e.documents ?? [])];
      last.entry = { ...last.entry, documents: documents.filter((d, i) => documents.findIndex((x) => x.documentId === d.documentId) === i) };
      last.openings += 1;
      last.until = e.at;
    } else {
      lines.push({ entry: e, openings: 1, until: null });
    }
  }
  return lines;
}

export function historyCard(view: ApplicationView): HTMLElement {
  return card("办理记录",
    h("ol", { class: "timeline" }, ...readableHistory(view.history).map(({ entry: e, openings, until }) => h("li", {},
      h("div", { class: "when" }, until && when(until) !== when(e.at) ? `${when(e.at)} – ${when(until).slice(-5)}` : when(e.at)),
      h("div", {}, h("strong", {}, e.actionText), openings > 1 ? `（${openings} 次）` : "", ` · ${e.actor.name}`, e.from ? ` · ${e.toText}` : ""),
      e.reason ? h("div", { class: "reason" }, `原因：${e.reason}`) : null,
      e.toFix && (e.toFix.fields.length || e.toFix.documentTypes.length)
        ? h("div", { class: "reason" }, `需补正：${[...e.toFix.fields, ...e.toFix.documentTypes].map((x) => x.label).join("、")}`) : null,
      e.documents?.length ? h("div", { class: "hint" }, `材料：${e.documents.map((d) => d.typeText).join("、")}`) : null))));
}

export function smsCard(sms: Schemas["SmsDeliveryView"][], extra?: Node | null): HTMLElement | null {
  if (!sms.length && !extra) return null;
  return card("短信通知",
    sms.length ? table(["短信", "发送至", "状态", "尝试次数", "时间"], sms.map((s) => [smsTemplateText[s.template] ?? s.template, s.to, statusBadge(s.status, s.statusText), String(s.attempts), when(s.sentAt ?? s.lastAttemptAt)])) : null,
    extra ?? null);
}

/**
 * What changed since the last return (`changesSinceLastReturn`, on a resubmitted application): who
 * returned it and why, each field before and after, each document added, replaced or removed, and
 * what the return asked for that was not touched.
 */
export function changesSinceLastReturn(view: ApplicationView): HTMLElement | null {
  const c = view.changesSinceLastReturn;
  if (!c) return null;
  const value = (v: string | null) => v ?? "（空）";
  const asked = (requested: boolean) => (requested ? h("span", { class: "badge" }, "退回时要求") : "");
  const line = (n: string | null) => (n ? `（${n}）` : "");
  const notChanged = c.notChanged ? [...c.notChanged.fields, ...c.notChanged.documentTypes] : [];
  return h("section", { class: "card attention", "aria-labelledby": "since-return" },
    h("h2", { id: "since-return" }, "自上次退回以来的修改"),
    facts([["退回", `${c.stageText} · ${when(c.returnedAt)}（第 ${c.returnedRound} 次提交）`], ["退回原因", c.reason], ["重新提交", when(c.resubmittedAt)]]),
    c.fields.length
      ? table(["内容", "修改前", "修改后", ""], c.fields.map((f) => [f.label, h("del", {}, value(f.before)), h("ins", {}, value(f.after)), asked(f.requested)]), "修改的内容")
      : h("p", { class: "hint" }, "申请内容未修改。"),
    c.documents.length
      ? table(["材料", "变动", ""], c.documents.map((d) => [`${d.typeText}${line(d.certificateNumber)}`, d.changeText, asked(d.requested)]), "材料的变动")
      : h("p", { class: "hint" }, "材料未变动。"),
    notChanged.length
      ? h("p", { class: "attention-text" }, `退回时要求但未修改：${notChanged.map((x) => x.label).join("、")}`)
      : null);
}
