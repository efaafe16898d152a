// Documents (附件): what is attached, what is still missing (the API's requirements for the kind),
// uploads for the filer, and a preview for anyone who may open them (fetched with the token and
// shown from a blob URL: images in <img>, PDFs in <iframe>).
import { api, fetchBlob, ok, type ApplicationView, type DocumentType, type Schemas } from "../api/client";
import { documentTypeText, bytes, when } from "../text";
import { lastReturn } from "./application";
import { h, show } from "./dom";
import { button, card, field, problemBox, run, select, table } from "./components";

export async function documentsCard(view: ApplicationView, editable: boolean, changed: () => void): Promise<HTMLElement> {
  const changeItem = view.changes?.holderName ? "holderName" : view.changes?.holderIdNumber ? "holderIdNumber" : view.changes?.employer ? "employer" : undefined;
  const [list, types] = await Promise.all([
    ok(api.GET("/api/applications/{id}/documents", { params: { path: { id: view.id } } })),
    ok(api.GET("/api/document-types", { params: { query: { kind: view.kind, ...(view.kind === "change" && changeItem ? { changeItem } : {}) } } })),
  ]);
  const box = problemBox();
  const preview = h("div", { class: "preview", "aria-live": "polite" });
  const toRedo = new Set(view.toFix?.documentTypes.map((d) => d.code) ?? []);
  // Asked for again and not uploaded since the return: what the filer still has to do.
  const returnedAt = lastReturn(view)?.at ?? "";
  const redone = (t: string) => list.items.some((d) => d.type === t && Date.parse(d.uploadedAt) > Date.parse(returnedAt));
  const stillToRedo = [...toRedo].filter((t) => !redone(t));
  const missing = list.missingDocumentTypes;
  const label = (t: string) => types.find((x) => x.type === t)?.label ?? documentTypeText[t as DocumentType] ?? t;
  const rows = list.items.map((d) => [
    d.typeText, d.fileName, bytes(d.size), when(d.uploadedAt),
    h("div", { class: "actions" },
      button("查看", () => void open(preview, view.id, d)),
      editable ? deleteButton(view.id, d, box, changed) : null),
  ]);
  return card("申请材料",
    missing.length || list.missingPhotos?.length
      ? h("div", { class: "missing", role: "status" }, h("strong", {}, "尚缺材料："),
          [...missing.map(label), ...(list.missingPhotos ?? []).map((n) => `${label("photo")}（${n}）`)].join("、"))
      : h("p", { class: "complete", role: "status" }, "必需材料已齐全。"),
    stillToRedo.length ? h("p", { class: "attention-text" }, `审核人员要求重新上传（尚未上传）：${stillToRedo.map(label).join("、")}`)
      : toRedo.size ? h("p", { class: "complete" }, `已按要求重新上传：${[...toRedo].map(label).join("、")}`) : null,
    rows.length ? table(["材料", "文件", "大小", "上传时间", ""], rows) : h("p", { class: "empty" }, "尚未上传材料。"),
    editable ? uploadForm(view, types, missing, list.items, new Set(stillToRedo), toRedo, box, changed) : null,
    box, preview);
}

/** Types an application holds one of (per line): a second one is a replacement unless the filer says otherwise. */
const oneOfAKind = new Set<string>(["idCardFront", "idCardBack", "photo", "signedForm", "enterpriseCommitment"]);

/**
 * The upload: a type, a file and, in a batch, the line a photo belongs to. When the application already
 * has a document of that type (and line), 替换 offers to replace it: ticked when the reviewer asked for
 * that type again or the application holds one of it. The new one is uploaded first, then the old one
 * deleted, so a failed upload loses nothing.
 */
function uploadForm(view: ApplicationView, types: Schemas["DocumentTypeView"][], missing: DocumentType[], attached: Schemas["DocumentView"][],
  stillToRedo: Set<string>, toRedo: Set<string>, box: HTMLElement, changed: () => void): HTMLElement {
  const first = [...stillToRedo][0] ?? missing[0] ?? types[0]?.type ?? "other";
  const type = select("type", types.map((t): [string, string] => [t.type, `${t.label}${t.required ? "（必需）" : ""}`]), first);
  const accept = [...new Set(types.flatMap((t) => t.acceptedContentTypes))].join(",");
  const file = h("input", { type: "file", name: "file", accept: accept || "image/jpeg,image/png,application/pdf", required: true });
  const batch = view.kind === "batchReissue";
  const line = batch ? select("certificateNumber", [["", "（不针对某一证书）"], ...(view.lines ?? []).map((l): [string, string] => [l.certificateNumber, `${l.certificateNumber} ${l.holderName}`])]) : null;
  const limit = () => types.find((t) => t.type === type.value)?.maxBytes;
  const same = () => attached.filter((d) => d.type === type.value && (d.certificateNumber ?? "") === (line?.value ?? ""));
  const replace = h("input", { type: "checkbox", name: "replace" });
  const replaceText = h("span", {});
  const replaceField = h("label", { class: "check" }, replace, " ", replaceText);
  const syncReplace = () => {
    const old = same();
    replaceField.hidden = old.length === 0;
    replace.checked = old.length > 0 && (toRedo.has(type.value) || oneOfAKind.has(type.value));
    replaceText.textContent = `替换已上传的${old.map((d) => d.fileName).join("、")}`;
  };
  type.addEventListener("change", syncReplace);
  line?.addEventListener("change", syncReplace);
  syncReplace();
  const submit = h("button", { type: "submit" }, "上传");
  const form = h("form", { class: "upload" }, field("材料类型", type), field("选择文件", file, "JPEG、PNG 或 PDF；过大的图片请先压缩"), line ? field("对应证书（证件照）", line) : null, replaceField, submit);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void run(submit, box, async () => {
      const chosen = file.files?.[0];
      if (!chosen) throw new Error("请选择要上传的文件");
      const max = Number(limit() ?? 0);
      if (max && chosen.size > max) throw new Error(`文件过大：${bytes(chosen.size)}，上限 ${bytes(max)}`);
      const data = new FormData();
      data.append("type", type.value);
      if (line?.value) data.append("certificateNumber", line.value);
      data.append("file", chosen, chosen.name);
      await ok(api.POST("/api/applications/{id}/documents", {
        params: { path: { id: view.id } },
        body: { file: "", type: type.value },
        bodySerializer: () => data,
      }));
      if (replace.checked && !replaceField.hidden)
        for (const old of same())
          await ok(api.DELETE("/api/applications/{id}/documents/{documentId}", { params: { path: { id: view.id, documentId: old.documentId } } }));
      changed();
    });
  });
  return form;
}

function deleteButton(id: string, d: Schemas["DocumentView"], box: HTMLElement, changed: () => void): HTMLButtonElement {
  const b = button("删除", () => void run(b, box, async () => {
    await ok(api.DELETE("/api/applications/{id}/documents/{documentId}", { params: { path: { id, documentId: d.documentId } } }));
    changed();
  }), { "aria-label": `删除 ${d.typeText} ${d.fileName}` });
  return b;
}

/** Shows one document in the preview area. */
export async function open(target: HTMLElement, applicationId: string, d: Schemas["DocumentView"]): Promise<void> {
  show(target, h("p", { class: "loading" }, `正在打开 ${d.typeText}…`));
  try {
    show(target, await viewer(applicationId, d));
  } catch (error) {
    show(target, h("p", { class: "problem", role: "alert" }, error instanceof Error ? error.message : String(error)));
  }
}

/** A document as a figure: an image or a PDF from a blob URL fetched with the token. */
export async function viewer(applicationId: string, d: Schemas["DocumentView"]): Promise<HTMLElement> {
  const blob = await fetchBlob(`/api/applications/${encodeURIComponent(applicationId)}/documents/${encodeURIComponent(d.documentId)}`);
  const url = URL.createObjectURL(blob);
  const caption = h("figcaption", {}, `${d.typeText} · ${d.fileName}`, " ", h("a", { href: url, download: d.fileName }, "下载"));
  const content = d.contentType === "application/pdf"
    ? h("iframe", { src: url, title: `${d.typeText}（PDF）` })
    : h("img", { src: url, alt: `${d.typeText}：${d.fileName}` });
  return h("figure", { class: "document" }, content, caption);
}
