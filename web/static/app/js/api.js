// @ts-check
// The session and every call to the server. Access tokens live 15 minutes; the refresh token
// rotates at each use and a reused one ends the session, so refreshes are serialised across
// tabs (Web Locks) and the token is re-read from IndexedDB inside the lock.
import * as store from './store.js';
import { getLang } from './i18n.js';

export class Offline extends Error {}
export class AuthExpired extends Error {}
// cap starts a message with a capital letter: the server's messages start in lower case, to be
// put after a field's name.
export const cap = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);

export class ApiError extends Error {
  constructor(status, body) {
    super(cap(body?.error?.message) || `HTTP ${status}`);
    this.status = status;
    this.error = body?.error || { code: String(status), message: this.message };
  }
}

let session = null; // {access_token, refresh_token, expires_at, user} or {user, expired: true}

export async function loadSession() {
  session = (await store.get('kv', 'session')) || null;
  return session;
}

export const currentSession = () => session;

async function saveSession(s) {
  session = s;
  await store.put('kv', s, 'session');
}

const fromTokens = (b) => ({
  access_token: b.access_token,
  refresh_token: b.refresh_token,
  // A minute early, so that a slow network does not carry an expired token.
  expires_at: Date.now() + ((b.expires_in || 900) - 60) * 1000,
  user: b.user,
});

/**
 * @typedef {object} SendOptions
 * @property {string} [method]
 * @property {any} [json] a value sent as a JSON body
 * @property {BodyInit} [body] a body sent as it is
 * @property {Record<string, string>} [headers]
 * @property {string} [token] the access token
 * @property {number} [timeout] milliseconds
 */

/**
 * @param {string} path
 * @param {SendOptions} [options]
 */
async function send(path, { method = 'GET', json, body, headers = {}, token, timeout = 30000 } = {}) {
  /** @type {Record<string, string>} */
  const h = { 'Accept-Language': getLang(), ...headers };
  if (json !== undefined) {
    h['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  }
  if (token) h.Authorization = `Bearer ${token}`;
  try {
    return await fetch(`/api/v1${path}`, { method, headers: h, body, cache: 'no-store', signal: AbortSignal.timeout(timeout) });
  } catch (e) {
    throw new Offline(e.message);
  }
}

export const readJSON = (res) => res.json().catch(() => null);

// DEVICE is where the device token of the last sign-in is kept: it names this phone, not a
// person, and outlives logouts, so that an attack on an account does not hold this phone up
// whatever network it is on.
const DEVICE = 'kiemtra.device';

export async function login(username, password) {
  const device_token = localStorage.getItem(DEVICE) || '';
  const res = await send('/auth/login', { method: 'POST', json: { username, password, device_token } });
  const body = await readJSON(res);
  if (!res.ok) throw new ApiError(res.status, body);
  if (body?.device_token) localStorage.setItem(DEVICE, body.device_token);
  await saveSession(fromTokens(body));
  return session;
}

// expire forgets the tokens but keeps who was signed in, so that the queue waits for them.
async function expire(s) {
  await saveSession({ user: s?.user || session?.user || null, expired: true });
}

let refreshing = null;

// refresh swaps the refresh token for new tokens, unless another tab already did: stale is the
// access token the caller found wanting.
export function refresh(stale) {
  refreshing ||= (async () => {
    const work = async () => {
      const cur = await store.get('kv', 'session');
      if (!cur?.refresh_token) {
        await expire(cur);
        throw new AuthExpired();
      }
      if (cur.access_token !== stale && cur.expires_at > Date.now()) {
        session = cur;
        return cur;
      }
      const res = await send('/auth/refresh', { method: 'POST', json: { refresh_token: cur.refresh_token } });
      if (res.status === 400 || res.status === 401 || res.status === 403) {
        await expire(cur);
        throw new AuthExpired();
      }
      if (!res.ok) throw new ApiError(res.status, await readJSON(res));
      await saveSession(fromTokens(await res.json()));
      return session;
    };
    return navigator.locks ? navigator.locks.request('kiemtra-auth', work) : work();
  })().finally(() => { refreshing = null; });
  return refreshing;
}

// api calls the server with the access token, renewing it when needed. It throws Offline when
// the server cannot be reached and AuthExpired when the session is over; other statuses are
// the caller's to read.
export async function api(path, opts = {}) {
  if (!session?.refresh_token) throw new AuthExpired();
  let token = session.access_token;
  if (!(session.expires_at > Date.now())) token = (await refresh(token)).access_token;
  let res = await send(path, { ...opts, token });
  if (res.status === 401) {
    token = (await refresh(token)).access_token;
    res = await send(path, { ...opts, token });
    if (res.status === 401) {
      await expire(session);
      throw new AuthExpired();
    }
  }
  return res;
}

// logout ends the session on the server when it can; the caller wipes the phone's data.
export async function logout() {
  const s = session;
  session = null;
  if (s?.refresh_token && navigator.onLine) {
    try {
      await send('/auth/logout', { method: 'POST', json: { refresh_token: s.refresh_token }, timeout: 5000 });
    } catch { /* offline: the refresh token expires on its own */ }
  }
}

// errorLines turns an error body into readable lines: the message, then each field's problem.
export function errorLines(err) {
  if (!err) return [];
  const details = (err.details || []).map((d) => (d.field ? `${d.field}: ${d.message}` : cap(d.message)));
  // The message repeats the only detail when there is one.
  const repeated = (err.details || []).some((d) => d.message === err.message);
  return [repeated ? '' : cap(err.message) || err.code, ...details].filter(Boolean);
}
