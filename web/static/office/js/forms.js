// @ts-check
// Form helpers the desks share: a labelled input with a place for its error, and the API's
// problems put beside the fields they name.

import { Api, ApiError } from "../../shared/js/api.js";
import { h } from "../../shared/js/dom.js";

/**
 * field is a labelled input with a place for its field's error (#ID-error).
 * @param {string} cls the wrapper's class (the desk's) @param {string} id @param {string} label
 * @param {HTMLElement} input @param {string} [hint]
 */
export function field(cls, id, label, input, hint) {
  input.id = id;
  return h("div", { class: cls },
    h("label", { for: id, id: `${id}-label` }, label),
    input,
    hint ? h("small", { class: "muted" }, hint) : null,
    h("div", { class: "field-error", id: `${id}-error`, hidden: true }));
}

/**
 * showFieldErrors puts each of the API's problems next to its field (fields maps the API's field
 * names to the inputs' ids); the others go to general, named by labels.
 * @param {import("./main.js").DeskContext} ctx @param {HTMLElement} form @param {HTMLElement} general
 * @param {any} err @param {Record<string, string>} fields @param {Record<string, string>} labels
 */
export function showFieldErrors(ctx, form, general, err, fields, labels) {
  clearErrors(form, general);
  /** @type {{field: string, message: string}[]} */
  let problems = [];
  if (err instanceof ApiError && err.details && err.details.length) problems = err.details;
  else if (err instanceof ApiError && err.field) problems = [{ field: err.field, message: err.message }];
  const rest = [];
  for (const p of problems) {
    const id = fields[p.field];
    const slot = id ? form.querySelector(`#${id}-error`) : null;
    if (!slot) {
      rest.push(p);
      continue;
    }
    slot.append(h("div", {}, `${labels[p.field]}: ${p.message}`));
    slot.removeAttribute("hidden");
    form.querySelector(`#${id}`)?.setAttribute("aria-invalid", "true");
  }
  if (!problems.length || rest.length) {
    const e = rest.length && err instanceof ApiError ? new ApiError(err.status, err.code, rest[0].message, rest[0].field, rest) : err;
    ctx.showError(general, e, labels);
  }
}

/**
 * clearErrors empties a form's field errors and its general box.
 * @param {HTMLElement} form @param {HTMLElement} general
 */
export function clearErrors(form, general) {
  for (const el of form.querySelectorAll(".field-error")) {
    el.replaceChildren();
    el.setAttribute("hidden", "");
  }
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  general.replaceChildren();
  general.hidden = true;
}

/**
 * @typedef {object} FileCheck
 * @property {HTMLInputElement} input the file input
 * @property {HTMLElement} fileError where "choose a file" shows
 * @property {HTMLButtonElement} check the form's submit button
 * @property {{noFile: string, checking: string, check: string}} texts
 * @property {() => void} clear empties the last report and errors before a new check
 * @property {(file: File) => Promise<void>} run checks the file (a dry run) and shows its report
 * @property {(ex: any) => void} fail shows a refused check
 */

/**
 * bindFileCheck makes form the first step of a two-step import: on submit it asks for a file
 * when none is chosen, else runs the check with the button busy and shows a refusal.
 * @param {HTMLFormElement} form @param {FileCheck} o
 */
export function bindFileCheck(form, o) {
  form.addEventListener("submit", async ev => {
    ev.preventDefault();
    o.fileError.hidden = true;
    o.input.removeAttribute("aria-invalid");
    const file = o.input.files && o.input.files[0];
    if (!file) {
      o.fileError.textContent = o.texts.noFile;
      o.fileError.hidden = false;
      o.input.setAttribute("aria-invalid", "true");
      o.input.focus();
      return;
    }
    o.check.disabled = true;
    o.check.textContent = o.texts.checking;
    o.clear();
    try {
      await o.run(file);
    } catch (ex) {
      o.fail(ex);
    } finally {
      o.check.disabled = false;
      o.check.textContent = o.texts.check;
    }
  });
}

/**
 * postFile posts a file as multipart (with fields before it), or when raw as the body itself with
 * its type, and answers the status and the JSON, refused or not (a refused import carries its
 * report beside the error). The shared client sends JSON, so files are sent here, with one retry
 * after refreshing the session.
 * @param {import("./main.js").DeskContext} ctx
 * @param {string} path
 * @param {File} file
 * @param {Record<string, string>} [fields]
 * @param {boolean} [raw]
 * @returns {Promise<{ok: boolean, status: number, body: any, error: ApiError | null}>}
 */
export async function postFile(ctx, path, file, fields = {}, raw = false) {
  const send = () => {
    if (raw) {
      const headers = { ...ctx.api.headers(), "Content-Type": file.type || "application/octet-stream" };
      return fetch(path, { method: "POST", headers, body: file });
    }
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) if (v) body.append(k, v);
    body.append("file", file, file.name);
    return fetch(path, { method: "POST", headers: ctx.api.headers(), body });
  };
  let resp;
  try {
    resp = await send();
    if (resp.status === 401 && await ctx.api.refresh()) resp = await send();
  } catch {
    throw new ApiError(0, "network", ctx.t("networkError"));
  }
  if (resp.ok) return { ok: true, status: resp.status, body: await resp.json(), error: null };
  const copy = resp.clone();
  const error = await Api.error(resp);
  let body = null;
  try { body = await copy.json(); } catch { /* not JSON */ }
  return { ok: false, status: resp.status, body, error };
}
