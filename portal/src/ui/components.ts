// Small building blocks every page uses: labelled fields, an alert for the API's problems, a busy
// button, tables that turn into cards on a phone, status badges.
import { ApiError } from "../api/client";
import { fieldText } from "../text";
import { h, show, uid } from "./dom";

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

/** A control with its visible label (and an optional hint tied by aria-describedby). */
export function field(label: string, control: Control, hint?: string): HTMLDivElement {
  control.id ||= uid();
  const hintId = hint ? uid("hint") : undefined;
  if (hintId) control.setAttribute("aria-describedby", hintId);
  return h("div", { class: "field" }, h("label", { for: control.id }, label), control, hint ? h("p", { class: "hint", id: hintId }, hint) : null);
}

export function input(attributes: Record<string, string | boolean | undefined> = {}): HTMLInputElement {
  return h("input", { type: "text", ...attributes });
}

export function select(name: string, options: [string, string][], selected?: string, attributes: Record<string, string | boolean> = {}): HTMLSelectElement {
  return h("select", { name, ...attributes }, ...options.map(([value, text]) => h("option", { value, selected: value === selected }, text)));
}

/** A checkbox with its label after it. */
export function checkbox(name: string, value: string, label: string, checked = false): HTMLLabelElement {
  return h("label", { class: "check" }, h("input", { type: "checkbox", name, value, checked }), " ", label);
}

const boxLabels = new WeakMap<HTMLElement, Record<string, string>>();

/**
 * Where a page reports what the API refused: the message and every field problem at once, each under
 * its field's label (`labels` for a form whose field means something else than `fieldText` says, e.g.
 * `reason` is 退回原因 on a review); a field without a label shows its message alone.
 */
export function problemBox(labels: Record<string, string> = {}): HTMLDivElement {
  const box = h("div", { class: "problem", role: "alert", hidden: true });
  boxLabels.set(box, labels);
  return box;
}

export function showProblem(box: HTMLElement, error: unknown): void {
  box.hidden = false;
  if (error instanceof ApiError) {
    const fields = Object.entries(error.errors);
    show(box, h("p", {}, error.message),
      fields.length ? h("ul", {}, ...fields.map(([name, messages]) => {
        const label = boxLabels.get(box)?.[name] ?? fieldText[name];
        return h("li", {}, `${label ? `${label}：` : ""}${messages.join("；")}`);
      })) : null);
  } else {
    show(box, h("p", {}, error instanceof Error ? error.message : String(error)));
  }
}

/** A refusal shown where a lookup's result would be, so the form above it stays for another try. */
export function refusal(error: unknown, labels: Record<string, string> = {}): HTMLDivElement {
  const box = problemBox(labels);
  showProblem(box, error);
  return box;
}

export function clearProblem(box: HTMLElement): void {
  box.hidden = true;
  box.replaceChildren();
}

/** Runs an action from a button: disabled while it runs, its refusal shown in the box. */
export async function run(button: HTMLButtonElement, box: HTMLElement, action: () => Promise<void>): Promise<void> {
  clearProblem(box);
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try {
    await action();
  } catch (error) {
    showProblem(box, error);
  } finally {
    button.disabled = false;
    button.removeAttribute("aria-busy");
  }
}

export function button(text: string, onclick: (event: Event) => void, attributes: Record<string, string> = {}): HTMLButtonElement {
  return h("button", { type: "button", ...attributes, onclick: onclick as EventListener }, text);
}

export function statusBadge(status: string, text: string): HTMLSpanElement {
  return h("span", { class: `badge status-${status}` }, text);
}

/** A table; on a narrow screen each row becomes a card whose cells carry their header. */
export function table(headers: string[], rows: (Node | string)[][], caption?: string): HTMLTableElement {
  return h("table", { class: "cards" },
    caption ? h("caption", {}, caption) : null,
    h("thead", {}, h("tr", {}, ...headers.map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, ...rows.map((cells) => h("tr", {}, ...cells.map((c, i) => h("td", { "data-label": headers[i] ?? "" }, c))))));
}

/** Label–value pairs. */
export function facts(pairs: [string, Node | string | null | undefined][]): HTMLDListElement {
  return h("dl", { class: "facts" }, ...pairs.filter(([, v]) => v !== null && v !== undefined && v !== "").map(([k, v]) => [h("dt", {}, k), h("dd", {}, v!)]));
}

export function card(title: string, ...children: (Node | null | false)[]): HTMLElement {
  const id = uid("h");
  return h("section", { class: "card", "aria-labelledby": id }, h("h2", { id }, title), ...children);
}

export const link = (href: string, text: string, attributes: Record<string, string> = {}): HTMLAnchorElement => h("a", { href, ...attributes }, text);

export const empty = (text: string): HTMLParagraphElement => h("p", { class: "empty" }, text);
