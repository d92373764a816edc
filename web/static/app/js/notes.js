// @ts-check
// The user's notifications on the phone: the in-app list (kept in IndexedDB so that it reads
// offline; the read marks made offline go with the next sync) and this device's Web Push
// subscription.
import * as store from './store.js';
import { api, readJSON, ApiError } from './api.js';
import { getLang } from './i18n.js';

/**
 * @typedef {object} Note
 * @property {string} id
 * @property {string} kind
 * @property {string} link
 * @property {string} title_vi
 * @property {string} title_en
 * @property {string} body_vi
 * @property {string} body_en
 * @property {string} sent_at
 * @property {string|null} read_at
 */

/** @type {{items: Note[], fetched_at: string|null, unread: string[]}} */
export const N = { items: [], fetched_at: null, unread: [] };

// Read marks not yet told to the server (made offline).
let pendingReads = /** @type {string[]} */ ([]);

export async function loadNotes() {
  const kept = await store.get('kv', 'notes');
  N.items = kept?.items || [];
  N.fetched_at = kept?.fetched_at || null;
  pendingReads = kept?.pending || [];
  for (const id of pendingReads) markLocally(id);
}

const save = () => store.put('kv', { items: N.items, fetched_at: N.fetched_at, pending: pendingReads }, 'notes');

// resetNotes forgets the notifications of the user who signed out (their read marks too).
export function resetNotes() {
  Object.assign(N, { items: [], fetched_at: null, unread: [] });
  pendingReads = [];
}

export const unreadCount = () => N.items.filter((n) => !n.read_at).length;

function markLocally(id) {
  const n = N.items.find((x) => x.id === id);
  if (n && !n.read_at) n.read_at = new Date().toISOString();
}

// refreshNotes sends the read marks made offline, then fetches the list. Errors are the
// caller's (the sync shows them).
export async function refreshNotes() {
  for (const id of [...pendingReads]) {
    const res = await api(`/me/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
    // 404: no longer there (cleaned up); either way the mark is done with.
    if (!res.ok && res.status !== 404) throw new ApiError(res.status, await readJSON(res));
    pendingReads = pendingReads.filter((x) => x !== id);
  }
  const res = await api('/me/notifications?limit=50');
  if (res.status === 503) return; // this server keeps no notifications
  if (!res.ok) throw new ApiError(res.status, await readJSON(res));
  const body = await res.json();
  N.items = body.items || [];
  N.fetched_at = new Date().toISOString();
  for (const id of pendingReads) markLocally(id);
  await save();
}

// readNote marks a notification read on the phone at once and on the server when it can.
export async function readNote(id) {
  markLocally(id);
  pendingReads = [...new Set([...pendingReads, id])];
  await save();
  try {
    const res = await api(`/me/notifications/${encodeURIComponent(id)}/read`, { method: 'POST' });
    if (res.ok || res.status === 404) pendingReads = pendingReads.filter((x) => x !== id);
  } catch {
    // Offline: sent with the next sync.
  }
  await save();
}

// appHash turns a notification's link into a route of this app ("/app/#/task/T" -> "#/task/T"),
// or null for a page elsewhere (the office app).
export function appHash(link) {
  const m = /^\/app\/(#\/.*)$/.exec(link || '');
  return m ? m[1] : null;
}

// ---- push -----------------------------------------------------------------------------------

/** @typedef {'unsupported'|'offline'|'off-server'|'denied'|'on'|'off'} PushState */

// registration is the app's service worker registration, or null (it failed to register:
// navigator.serviceWorker.ready would wait for ever).
async function registration() {
  return (await navigator.serviceWorker.getRegistration()) || null;
}

// sameKey tells whether sub was made with the server's key: after the server's key changed,
// the push service refuses every push to an old subscription.
function sameKey(sub, key) {
  const had = sub.options?.applicationServerKey;
  if (!had) return true; // the browser does not say: keep it
  const a = new Uint8Array(had), b = keyBytes(key);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const keyBytes = (b64) => {
  const s = atob(b64.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
};

/** @returns {Promise<{state: PushState, key?: string}>} */
export async function pushState() {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) return { state: 'unsupported' };
  if (!navigator.onLine) return { state: 'offline' };
  let key;
  try {
    const res = await api('/push/key');
    if (!res.ok) return { state: 'off-server' };
    const body = await res.json();
    if (!body.enabled) return { state: 'off-server' };
    key = body.public_key;
  } catch {
    return { state: navigator.onLine ? 'off-server' : 'offline' };
  }
  if (Notification.permission === 'denied') return { state: 'denied', key };
  const reg = await registration();
  if (!reg) return { state: 'unsupported' };
  const sub = await reg.pushManager.getSubscription();
  return { state: sub && Notification.permission === 'granted' && sameKey(sub, key) ? 'on' : 'off', key };
}

async function register(sub) {
  const res = await api('/me/push-subscriptions', { method: 'POST', json: { ...sub.toJSON(), expirationTime: undefined, lang: getLang() } });
  if (!res.ok) throw new ApiError(res.status, await readJSON(res));
}

// enablePush asks the permission, subscribes this device and tells the server.
export async function enablePush(key) {
  if ((await Notification.requestPermission()) !== 'granted') throw new Error('denied');
  const reg = await registration();
  if (!reg) throw new Error('no service worker');
  let sub = await reg.pushManager.getSubscription();
  if (sub && !sameKey(sub, key)) {
    await sub.unsubscribe();
    sub = null;
  }
  sub ||= await reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
  await register(sub);
}

// disablePush unsubscribes this device here and on the server.
// The browser's subscription ends whatever the server answers (offline, push off there): the
// phone must stop showing this user's pushes; the server forgets the device at its next push
// (the push service answers 410).
export async function disablePush() {
  if (!('serviceWorker' in navigator)) return;
  const reg = await registration();
  const sub = await reg?.pushManager?.getSubscription();
  if (!sub) return;
  try {
    const res = await api(`/me/push-subscriptions?endpoint=${encodeURIComponent(sub.endpoint)}`, { method: 'DELETE' });
    if (!res.ok && res.status !== 503) throw new ApiError(res.status, await readJSON(res));
  } finally {
    await sub.unsubscribe();
  }
}

// renewPush tells the server this device's subscription again (the language may have changed,
// or another user signed in on the phone); quietly, at each start.
export async function renewPush() {
  try {
    if (!('serviceWorker' in navigator) || !('Notification' in window) || Notification.permission !== 'granted') return;
    const reg = await registration();
    const sub = await reg?.pushManager?.getSubscription();
    if (!sub) return;
    const { state, key } = await pushState();
    // A subscription of the server's old key is made again with the new one.
    if (state === 'off' && key) await enablePush(key);
    else if (state === 'on') await register(sub);
  } catch {
    // The next start tries again.
  }
}
