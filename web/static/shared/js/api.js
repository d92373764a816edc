// @ts-check
// The API client of the office pages (dashboard and office app): sign-in, tokens in
// sessionStorage (one session for both, so that signing in at /dashboard/ carries into
// /office/), one refresh on 401 (shared by concurrent requests, because the refresh token
// rotates and a reused one ends the session), JSON errors in the user's language.

const KEY = "kiemtra.session";

// ApiError is an error answer of the API ({"error": {"code", "message"}}) or a network failure.
// field names the input the server refused, when it named one; details lists every problem.
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   * @param {string} [field]
   * @param {{field: string, message: string}[]} [details]
   */
  constructor(status, code, message, field, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field || "";
    this.details = details || [];
  }
}

// SessionEnded is thrown when the tokens no longer work: the caller shows the login form.
export class SessionEnded extends ApiError {
  constructor(message) { super(401, "unauthorized", message); }
}

export class Api {
  // lang returns the language the server's messages should be in.
  constructor(lang, networkMessage) {
    this.lang = lang;
    this.networkMessage = networkMessage;
    this.refreshing = null;
    /** @type {(message: string) => void} called when the session ends, with the reason */
    this.onSessionEnded = () => {};
    try {
      this.session = JSON.parse(sessionStorage.getItem(KEY) || "null");
    } catch {
      this.session = null;
    }
  }

  get signedIn() { return !!(this.session && this.session.access_token); }
  get user() { return this.session ? this.session.user : null; }

  save(sess) {
    this.session = sess;
    if (sess) sessionStorage.setItem(KEY, JSON.stringify(sess));
    else sessionStorage.removeItem(KEY);
  }

  headers(extra) {
    const h = { Accept: "application/json", "Accept-Language": this.lang(), ...extra };
    if (this.session && this.session.access_token) h.Authorization = "Bearer " + this.session.access_token;
    return h;
  }

  async send(method, path, body, auth = true) {
    const init = { method, headers: auth ? this.headers() : { Accept: "application/json", "Accept-Language": this.lang() } };
    if (body !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let resp;
    try {
      resp = await fetch(path, init);
    } catch {
      throw new ApiError(0, "network", this.networkMessage());
    }
    return resp;
  }

  static async error(resp) {
    let code = "http_" + resp.status, message = resp.statusText || String(resp.status), field = "", details = [];
    try {
      const j = await resp.json();
      if (j && j.error) {
        code = j.error.code || code;
        message = j.error.message || message;
        field = j.error.field || "";
        details = Array.isArray(j.error.details) ? j.error.details : [];
      }
    } catch { /* not JSON */ }
    return new ApiError(resp.status, code, message, field, details);
  }

  // login signs in with the device token of this browser's last sign-in (kept across logouts:
  // it names the browser, not a person), which lets it through an attack on the account.
  async login(username, password) {
    const device_token = localStorage.getItem("kiemtra.device") || "";
    const resp = await this.send("POST", "/api/v1/auth/login", { username, password, device_token }, false);
    if (!resp.ok) throw await Api.error(resp);
    const sess = await resp.json();
    if (sess.device_token) localStorage.setItem("kiemtra.device", sess.device_token);
    this.save(sess);
    return sess;
  }

  async logout() {
    const sess = this.session;
    this.save(null);
    if (sess && sess.refresh_token) {
      try { await this.send("POST", "/api/v1/auth/logout", { refresh_token: sess.refresh_token }, false); } catch { /* signed out locally anyway */ }
    }
  }

  // refresh trades the refresh token for new tokens once, however many requests wait for it.
  refresh() {
    if (!this.refreshing) {
      const token = this.session && this.session.refresh_token;
      this.refreshing = (async () => {
        if (!token) return false;
        const resp = await this.send("POST", "/api/v1/auth/refresh", { refresh_token: token }, false);
        if (!resp.ok) return false;
        this.save(await resp.json());
        return true;
      })().finally(() => { this.refreshing = null; });
    }
    return this.refreshing;
  }

  // request sends an authenticated request; on 401 it refreshes once and retries, then gives up.
  async request(method, path, body) {
    let resp = await this.send(method, path, body);
    if (resp.status === 401 && this.session) {
      const sentWith = this.session.access_token;
      // Another request may have refreshed meanwhile: retry with its token first.
      const ok = (this.session && this.session.access_token !== sentWith) || await this.refresh();
      if (ok) resp = await this.send(method, path, body);
    }
    if (resp.status === 401) {
      const err = await Api.error(resp);
      this.save(null);
      this.onSessionEnded(err.message);
      throw new SessionEnded(err.message);
    }
    return resp;
  }

  async get(path) {
    const resp = await this.request("GET", path);
    if (!resp.ok) throw await Api.error(resp);
    return resp.json();
  }

  // call sends a JSON body (or none) and answers the parsed JSON (null for 204), or throws the
  // server's ApiError.
  async call(method, path, body) {
    const resp = await this.request(method, path, body);
    if (!resp.ok) throw await Api.error(resp);
    if (resp.status === 204) return null;
    return resp.json();
  }

  post(path, body) { return this.call("POST", path, body ?? {}); }
  patch(path, body) { return this.call("PATCH", path, body); }
  put(path, body) { return this.call("PUT", path, body); }

  // getOptional answers null for a 404 (an endpoint this server does not have yet).
  async getOptional(path) {
    const resp = await this.request("GET", path);
    if (resp.status === 404) return null;
    if (!resp.ok) throw await Api.error(resp);
    return resp.json();
  }

  // download fetches a file with the access token and hands it to the browser as a download.
  async download(path, fallbackName) {
    const resp = await this.request("GET", path);
    if (!resp.ok) throw await Api.error(resp);
    const blob = await resp.blob();
    let name = fallbackName;
    const cd = resp.headers.get("Content-Disposition") || "";
    const m = /filename\*=UTF-8''([^;]+)|filename="?([^";]+)"?/i.exec(cd);
    if (m) name = decodeURIComponent(m[1] || m[2]);
    const url = URL.createObjectURL(blob);
    const a = document.createElement("a");
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }
}

// query builds a query string from the non-empty values.
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, String(v));
  }
  const s = q.toString();
  return s ? "?" + s : "";
}
