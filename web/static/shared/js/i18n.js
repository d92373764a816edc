// @ts-check
// The chosen language of the office pages (Vietnamese unless the user picked English, kept in
// localStorage so that the dashboard and the office app agree) and texts with {name}
// placeholders.

const LANG_KEY = "kiemtra.lang";

/** @typedef {"vi" | "en"} Lang */
/** @typedef {{vi: Record<string, string>, en: Record<string, string>}} Messages */
/** @typedef {(key: string, vars?: Record<string, any>) => string} Translate */

/** @returns {Lang} */
export function getLang() {
  try {
    return localStorage.getItem(LANG_KEY) === "en" ? "en" : "vi";
  } catch {
    return "vi";
  }
}

/** @param {Lang} lang */
export function setLang(lang) {
  try { localStorage.setItem(LANG_KEY, lang); } catch { /* private mode: this page only */ }
  document.documentElement.lang = lang;
}

/**
 * fill replaces {name} placeholders with vars.
 * @param {string} s
 * @param {Record<string, any>} [vars]
 */
export function fill(s, vars) {
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s.normalize("NFC");
}

/**
 * makeT returns the translator of the merged message sets in lang: a key missing in English
 * falls back to Vietnamese, a key missing in both shows itself (a test catches those).
 * @param {Messages[]} sets
 * @param {Lang} lang
 * @returns {Translate}
 */
export function makeT(sets, lang) {
  /** @type {Record<string, string>} */
  const vi = {}, en = {};
  for (const s of sets) {
    Object.assign(vi, s.vi);
    Object.assign(en, s.en);
  }
  const table = lang === "en" ? en : vi;
  return (key, vars) => fill(table[key] ?? vi[key] ?? key, vars);
}
