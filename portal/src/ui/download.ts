// A download of a file the API streams behind the bearer token (the form PDF, the e-certificate,
// a document): fetched with the token, then saved from a blob URL.
import { fetchBlob } from "../api/client";
import { h } from "./dom";
import { problemBox, run } from "./components";

export function downloadButton(text: string, path: string, fileName: string, attributes: Record<string, string> = {}): HTMLSpanElement {
  const box = problemBox();
  const button = h("button", { type: "button", ...attributes }, text);
  button.addEventListener("click", () => void run(button, box, async () => {
    const url = URL.createObjectURL(await fetchBlob(path));
    const a = h("a", { href: url, download: fileName });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }));
  return h("span", { class: "download" }, button, box);
}
