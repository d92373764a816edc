// @ts-check
// The sign-in form of the office pages (#login-view with #login-form, #username, #password,
// #login-submit and #login-error): the dashboard and the office app sign in the same way.

import { $ } from "./dom.js";

/**
 * showSignIn hides the signed-in view (#app-view) and shows the form with message, if any.
 * @param {string} [message]
 */
export function showSignIn(message) {
  $("#app-view").hidden = true;
  $("#login-view").hidden = false;
  const err = $("#login-error");
  err.hidden = !message;
  err.textContent = message || "";
  $("#username").focus();
}

/**
 * bindSignIn signs in with the form's fields on submit and calls signedIn; a refusal (the
 * server's message, in the user's language) stays on the form and the password is cleared.
 * @param {import("./api.js").Api} api
 * @param {() => {signIn: string, signingIn: string, locale: string}} texts the button's texts now
 * @param {() => Promise<void>} signedIn
 */
export function bindSignIn(api, texts, signedIn) {
  $("#login-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const btn = /** @type {HTMLButtonElement} */ ($("#login-submit"));
    const err = $("#login-error");
    const password = /** @type {HTMLInputElement} */ ($("#password"));
    btn.disabled = true;
    btn.textContent = texts().signingIn;
    err.hidden = true;
    try {
      await api.login(/** @type {HTMLInputElement} */ ($("#username")).value.trim(), password.value);
      password.value = "";
      await signedIn();
    } catch (ex) {
      const m = String(ex.message || ex);
      err.textContent = m.charAt(0).toLocaleUpperCase(texts().locale) + m.slice(1);
      err.hidden = false;
      password.value = "";
      password.focus();
    } finally {
      btn.disabled = false;
      btn.textContent = texts().signIn;
    }
  });
}
