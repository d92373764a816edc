// @ts-check
// The app's state, kept in IndexedDB and mirrored in memory: today's route, checklists, drafts
// and the queue of writes waiting for the network, with the sync that empties it.
import * as store from './store.js';
import { api, readJSON, ApiError, AuthExpired, Offline, currentSession, cap } from './api.js';
import { setReference } from './i18n.js';
import { loadNotes, refreshNotes } from './notes.js';

export const S = {
  route: null, // {day, team_id, cursor, etag, fetched_at}
  me: null, // GET /me
  agencies: null, // GET /agencies: their names, for the codes users carry
  reference: null, // GET /reference: {tables, fetched_at}, the names of every code and the on-site rule
  tasks: [], // assignment items in route order, each with day (and withdrawn when taken back)
  checklists: {}, // category -> {category, version, items}
  drafts: {}, // task_id -> draft
  queue: [], // entries waiting for the network
  sent: [], // the last accepted entries
  online: navigator.onLine,
  syncing: false,
  lastError: null,
  expired: false,
  leaving: false, // a logout is deleting the phone's data
};

const listeners = new Set();
export const onChange = (fn) => listeners.add(fn);
export const changed = () => listeners.forEach((fn) => fn());

const bySeq = (a, b) => a.seq - b.seq;
const byRoute = (a, b) => (a.day === b.day ? a.route_order - b.route_order : a.day < b.day ? 1 : -1);

export async function loadAll() {
  const [route, me, agencies, reference, tasks, checklists, drafts, queue, sent] = await Promise.all([
    store.get('kv', 'route'), store.get('kv', 'me'), store.get('kv', 'agencies'), store.get('kv', 'reference'), store.all('tasks'), store.all('checklists'),
    store.all('drafts'), store.all('queue'), store.all('sent'),
  ]);
  S.route = route || null;
  S.me = me || null;
  S.agencies = agencies || null;
  useReference(reference?.tables ? reference : null);
  S.tasks = tasks.sort(byRoute);
  S.checklists = Object.fromEntries(checklists.map((c) => [c.category, c]));
  S.drafts = Object.fromEntries(drafts.map((d) => [d.task_id, d]));
  S.queue = queue.sort(bySeq);
  S.sent = sent.sort((a, b) => b.at.localeCompare(a.at));
  await loadNotes();
}

export const task = (id) => S.tasks.find((t) => t.task_id === id);

// A task's state as the list shows it: what the team did, then what the server said.
export function taskState(t) {
  const d = S.drafts[t.task_id];
  if (d?.state === 'rejected') return 'rejected';
  if (d?.state === 'queued') return 'queued';
  if (d?.state === 'sent') return 'sent';
  if (t.status === 'done') return 'done';
  if (t.status === 'missed') return 'missed';
  if (t.withdrawn) return 'withdrawn';
  if (d && (Object.keys(d.answers || {}).length || d.started_at)) return 'draft';
  if ((d?.checkin && !d.checkin.skipped) || t.checked_in) return 'checked';
  return 'released';
}

// A draft holds what was typed for a task; it is saved at every change.
export function draftFor(taskId) {
  let d = S.drafts[taskId];
  if (!d) {
    d = { task_id: taskId, inspection_id: crypto.randomUUID(), state: 'draft', answers: {}, extra: [], outcome: '', notes: '', photos: [], checkin: null, started_at: null };
    S.drafts[taskId] = d;
  }
  return d;
}

export function saveDraft(d) {
  d.saved_at = new Date().toISOString();
  S.drafts[d.task_id] = d;
  return store.put('drafts', d);
}

let lastSeq = 0;
function nextSeq() {
  lastSeq = Math.max(Date.now(), lastSeq + 1, ...S.queue.map((e) => e.seq + 1));
  return lastSeq;
}

// enqueue stores a write (replacing one with the same id: a corrected result) and tries to send.
export async function enqueue(entry) {
  const old = S.queue.find((e) => e.id === entry.id);
  const e = { status: 'pending', error: null, created_at: new Date().toISOString(), ...entry, seq: old ? old.seq : nextSeq() };
  await store.put('queue', e);
  S.queue = [...S.queue.filter((x) => x.id !== e.id), e].sort(bySeq);
  changed();
  syncSoon();
  return e;
}

export async function dropEntry(id) {
  await store.del('queue', id);
  S.queue = S.queue.filter((e) => e.id !== id);
}

export const queueCount = () => S.queue.length;

export async function savePhoto(p) { await store.put('photos', p); }
export async function deletePhoto(id) { await store.del('photos', id); }

let timer = null;
export function syncSoon(ms = 50) {
  clearTimeout(timer);
  timer = setTimeout(() => { syncNow(); }, ms);
}

let running = null;

// settle waits for the sync under way, if any (before a logout wipes what it would write).
export async function settle() {
  clearTimeout(timer);
  try { await running; } catch { /* its errors are in S.lastError */ }
}

// syncNow sends the queue, then the photos, then refreshes the route. One at a time.
export function syncNow() {
  running ||= (async () => {
    if (!navigator.onLine || !currentSession()?.refresh_token) return;
    S.syncing = true;
    changed();
    try {
      await pushOperations();
      await pushPhotos();
      await refreshRoute();
      // The list waits for the next sync when it cannot be had: the route's state is what the
      // sync reports.
      await refreshNotes().catch((e) => console.warn('notifications', e));
      S.lastError = null;
    } catch (e) {
      if (e instanceof AuthExpired) S.expired = true;
      else if (e instanceof Offline) S.lastError = 'offline';
      else S.lastError = cap(e.message);
    } finally {
      S.syncing = false;
    }
  })().finally(() => {
    running = null;
    changed();
  });
  return running;
}

async function pushOperations() {
  for (;;) {
    // A record waits, like a photo, until its inspection is accepted: the next pass of this
    // loop sends it, and one rejected with its inspection would never be sent again.
    const ops = S.queue.filter((e) => e.kind !== 'photo' && e.status === 'pending'
      && !(e.kind === 'record' && S.queue.some((q) => q.kind === 'inspection' && q.id === e.inspection_id))).slice(0, 100);
    if (!ops.length) return;
    const res = await api('/sync', {
      method: 'POST',
      json: { operations: ops.map((e) => (e.kind === 'checkin' ? { type: 'checkin', task_id: e.task_id, body: e.body } : { type: e.kind === 'record' ? 'record' : 'inspection', body: e.body })) },
    });
    if (!res.ok) throw new ApiError(res.status, await readJSON(res));
    const { results } = await res.json();
    let answered = 0;
    let failed = null;
    for (const r of results || []) {
      const e = ops[r.index];
      if (!e) continue;
      answered++;
      if (r.status === 'applied' || r.status === 'duplicate') await accepted(e, r.result);
      // The server could not store it (a fault or an outage): nothing is wrong with the entry,
      // so it stays pending as it is and goes again with the next sync.
      else if (r.status === 'failed' || r.http_status >= 500) failed ||= r;
      else await rejected(e, r.error || { code: String(r.http_status), message: `HTTP ${r.http_status}` });
    }
    changed();
    // Either way the rest waits for the next sync: sending a failed entry again at once would
    // loop while the server is down.
    if (failed) throw new Error(failed.error?.message || `HTTP ${failed.http_status}`);
    if (answered < ops.length) throw new Error('the server answered part of the queue');
  }
}

async function accepted(e, result) {
  const d = S.drafts[e.task_id];
  const t = task(e.task_id);
  if (e.kind === 'checkin') {
    if (d?.checkin?.id === e.id) {
      d.checkin = { ...d.checkin, status: 'sent', error: null, result: result && { distance_m: result.distance_m, on_site: result.on_site, flags: result.flags || [] } };
      await saveDraft(d);
    }
    if (t) {
      t.checked_in = true;
      await store.put('tasks', t);
    }
  } else if (e.kind === 'inspection') {
    if (d) {
      d.state = 'sent';
      d.error = null;
      d.result = result && { id: result.id, outcome: result.outcome, flags: result.flags || [], findings: (result.findings || []).map((f) => f.code) };
      await saveDraft(d);
    }
    if (t) {
      t.status = ['compliant', 'violation'].includes(e.body.outcome) ? 'done' : 'missed';
      await store.put('tasks', t);
    }
  } else if (e.kind === 'photo' && d) {
    const p = d.photos.find((x) => x.id === e.id);
    if (p) p.uploaded = true;
    await saveDraft(d);
    await deletePhoto(e.id);
  }
  await dropEntry(e.id);
  const log = { id: e.id, kind: e.kind, task_id: e.task_id, name: t?.business?.name || '', at: new Date().toISOString() };
  await store.put('sent', log);
  S.sent = [log, ...S.sent.filter((x) => x.id !== e.id)];
  for (const old of S.sent.splice(30)) await store.del('sent', old.id);
}

// A rejected write stays in the queue with the server's reason, and its draft opens for
// correction: nothing the team recorded is dropped.
async function rejected(e, error) {
  e.status = 'rejected';
  e.error = error;
  await store.put('queue', e);
  const d = S.drafts[e.task_id];
  if (!d) return;
  if (e.kind === 'inspection') {
    d.state = 'rejected';
    d.error = error;
  } else if (e.kind === 'checkin' && d.checkin?.id === e.id) {
    d.checkin = { ...d.checkin, status: 'rejected', error };
  }
  await saveDraft(d);
}

async function pushPhotos() {
  for (const e of S.queue.filter((x) => x.kind === 'photo' && x.status === 'pending')) {
    // A photo belongs to a stored result: it waits until its result is accepted.
    if (S.queue.some((q) => q.kind === 'inspection' && q.id === e.inspection_id)) continue;
    const p = await store.get('photos', e.id);
    if (!p) {
      await rejected(e, { code: 'missing', message: 'photo missing on the phone' });
      continue;
    }
    const res = await api(`/inspections/${e.inspection_id}/photos`, { method: 'POST', body: p.blob, headers: { 'Content-Type': p.blob.type || 'image/jpeg' }, timeout: 180000 });
    if (res.ok) await accepted(e, await readJSON(res));
    else if (res.status >= 500 || res.status === 404 || res.status === 429) continue; // try again later
    else await rejected(e, (await readJSON(res))?.error || { code: String(res.status), message: `HTTP ${res.status}` });
    changed();
  }
}

/**
 * useReference makes rec the reference tables the app names codes from (null: none).
 * @param {{tables: import('./i18n.js').Reference, fetched_at: string} | null} rec
 */
export function useReference(rec) {
  S.reference = rec;
  setReference(rec?.tables || null);
}

// The reference tables change only with a release of the server: a day old, they are fetched
// again.
const REFERENCE_MAX_AGE = 24 * 3600 * 1000;

// refreshReference fetches the reference tables when the phone has none, when they are a day
// old, and on a full refresh. A server that cannot answer them leaves the stored ones.
async function refreshReference(full) {
  const at = S.reference ? Date.parse(S.reference.fetched_at) : NaN;
  if (S.reference && !full && Date.now() - at < REFERENCE_MAX_AGE) return;
  const res = await api('/reference');
  if (!res.ok) return;
  const tables = await res.json();
  if (!Array.isArray(tables?.violations) || !Array.isArray(tables?.categories)) return;
  const rec = { tables, fetched_at: new Date().toISOString() };
  await store.put('kv', rec, 'reference');
  useReference(rec);
}

// refreshRoute fetches the reference tables when needed (first, so that the first route
// already names its codes), today's assignments (a delta when the phone has a cursor, nothing
// when the ETag still matches) and the checklists of their categories.
export async function refreshRoute(full) {
  await refreshReference(full);
  const r = S.route;
  const q = r?.cursor && !full ? `?since=${encodeURIComponent(r.cursor)}` : '';
  const headers = r?.etag && !full ? { 'If-None-Match': r.etag } : {};
  const res = await api(`/me/assignments${q}`, { headers });
  if (res.status === 304) {
    S.route = { ...r, fetched_at: new Date().toISOString() };
    await store.put('kv', S.route, 'route');
  } else if (res.ok) {
    await applyAssignments(await res.json(), res.headers.get('ETag'));
  } else {
    throw new ApiError(res.status, await readJSON(res));
  }
  await fetchChecklists();
  if (!S.me) {
    const me = await api('/me');
    if (me.ok) {
      S.me = await me.json();
      await store.put('kv', S.me, 'me');
    }
  }
  // Agencies are renamed rarely: fetched once, and again on a full refresh.
  if (!S.agencies || full) {
    const res = await api('/agencies');
    if (res.ok) {
      S.agencies = (await res.json()).items;
      await store.put('kv', S.agencies, 'agencies');
    }
  }
  changed();
}

// busy reports whether a task holds work the server does not have yet.
const busy = (id) => {
  const d = S.drafts[id];
  return (d && d.state !== 'sent') || S.queue.some((e) => e.task_id === id);
};

async function applyAssignments(a, etag) {
  const stamp = (it) => ({ ...it, day: a.day });
  let tasks = S.tasks;
  if (a.full) {
    const fresh = new Set(a.items.map((it) => it.task_id));
    // Stops no longer on the route stay while they hold unsent work.
    const kept = tasks.filter((t) => !fresh.has(t.task_id) && busy(t.task_id)).map((t) => ({ ...t, withdrawn: true }));
    tasks = [...a.items.map(stamp), ...kept];
  } else {
    const byId = new Map(tasks.map((t) => [t.task_id, t]));
    for (const it of [...a.added, ...a.updated]) byId.set(it.task_id, stamp(it));
    for (const id of a.withdrawn) {
      if (busy(id)) byId.set(id, { ...byId.get(id), withdrawn: true });
      else byId.delete(id);
    }
    tasks = [...byId.values()].filter((t) => t.business);
  }
  tasks.sort(byRoute);
  await store.replaceAll('tasks', tasks);
  S.tasks = tasks;
  S.route = { day: a.day, team_id: a.team_id, cursor: a.cursor, etag, fetched_at: new Date().toISOString() };
  await store.put('kv', S.route, 'route');
  // Drafts of tasks that are gone and were sent are no longer needed.
  for (const [id, d] of Object.entries(S.drafts)) {
    if (d.state === 'sent' && !tasks.some((t) => t.task_id === id)) {
      delete S.drafts[id];
      await store.del('drafts', id);
    }
  }
}

async function fetchChecklists() {
  const want = new Map();
  for (const t of S.tasks) want.set(t.business.category, t.checklist_version);
  for (const [category, version] of want) {
    if (S.checklists[category]?.version === version) continue;
    // The version the day names: a result records it, and the server checks the answers
    // against it even after planners save a newer one.
    const v = version ? `&version=${encodeURIComponent(version)}` : '';
    const res = await api(`/checklists?category=${encodeURIComponent(category)}${v}`);
    if (!res.ok) throw new ApiError(res.status, await readJSON(res));
    const cl = await res.json();
    const rec = { category, version: cl.version, items: cl.items.filter((it) => !it.categories || it.categories.includes(category)) };
    await store.put('checklists', rec);
    S.checklists[category] = rec;
  }
}
