// @ts-check
// kiemtra's inspectors' app: today's route, check-in, checklist, findings, photos and the
// result, all usable offline. Plain DOM, no framework; views are functions of the state in
// data.js and are redrawn when it changes (the checklist only in place, so typing is never
// interrupted).
import { t, setLang, getLang, agencyName, categoryName, violationName, violationSeverity, violationCodes, outcomeName, reasonName, flagName, onSiteRule, distance, time, day, kb } from './i18n.js';
import { login, logout, loadSession, currentSession, errorLines, ApiError, api, readJSON } from './api.js';
import { S, onChange, changed, loadAll, task, taskState, draftFor, saveDraft, enqueue, dropEntry, syncNow, settle, refreshRoute, savePhoto, deletePhoto, useReference } from './data.js';
import { distanceM, onSite, radiusM, locate, routeMap } from './geo.js';
import { resize, PhotoError } from './photo.js';
import { recordCard, recordBody } from './signature.js';
import * as store from './store.js';
import { N, unreadCount, readNote, resetNotes, appHash, pushState, enablePush, disablePush, renewPush } from './notes.js';

const $ = (sel, root = document) => root.querySelector(sel);

// h builds an element: h('a', {href, class, onclick}, children...).
function h(tag, props, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else if (k === 'class') e.className = v;
    else if (k === 'value' || k === 'checked' || k === 'disabled' || k === 'hidden') e[k] = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of kids.flat(Infinity)) if (c != null && c !== false) e.append(c instanceof Node ? c : String(c));
  return e;
}

/** @type {{start: number, interactive?: number}} */
const timings = { start: performance.now() };
// The page tests read the timings.
/** @type {any} */ (window).kiemtraTimings = timings;

// ---- routing ----------------------------------------------------------------------------

function parseRoute() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  return { name: parts[0] || 'route', id: parts[1], sub: parts[2] };
}

const go = (hash) => { location.hash = hash; };

let current = null;

function loggedIn() {
  const s = currentSession();
  return !!(s?.refresh_token && !s.expired && !S.expired);
}

function render() {
  const r = parseRoute();
  // Until a logout has deleted the phone's data, no other screen shows (the sign-in form would
  // say the data is gone while it is not yet).
  if (S.leaving) r.name = 'leaving';
  else if (!loggedIn()) r.name = 'login';
  else if (r.name === 'login') r.name = 'route';
  const views = { leaving: leavingView, login: loginView, route: routeView, task: r.sub === 'check' ? checklistView : taskView, queue: queueView, me: meView, notes: notesView };
  const view = views[r.name] || routeView;
  current = { ...r, view };
  const root = $('#app');
  const { title, back, body, footer } = view(r);
  root.replaceChildren(header(title, back, r.name !== 'login'), banner(), h('main', { id: 'view' }, body), footer ? h('footer', { class: 'actions' }, footer) : '');
  document.documentElement.dataset.view = r.name === 'task' && r.sub === 'check' ? 'checklist' : r.name;
  document.title = `${title} · ${t('app')}`;
}

// update redraws after a change of the state, except on the checklist and the sign-in form,
// where only the parts that show the network's state change.
function update() {
  // The forms keep what is being typed: only the bars around them change.
  if ((current?.view === checklistView && loggedIn()) || (current?.view === loginView && !loggedIn())) {
    const hd = $('header.bar');
    if (hd) hd.replaceWith(header($('header.bar h1')?.textContent || '', $('header.bar .back')?.getAttribute('href'), current.view !== loginView));
    const bn = $('#banner');
    if (bn) bn.replaceWith(banner());
    return;
  }
  const y = scrollY;
  render();
  scrollTo(0, y);
}

function header(title, back, withButtons) {
  const n = S.queue.length;
  const rejected = S.queue.some((e) => e.status === 'rejected');
  return h('header', { class: 'bar' },
    back ? h('a', { class: 'back', href: back, 'aria-label': t('back') }, '‹') : h('span', { class: 'logo', 'aria-hidden': 'true' }, '✓'),
    h('h1', {}, title),
    withButtons && h('a', {
      id: 'queue-button', href: '#/queue', class: `qbtn${n ? ' has' : ''}${rejected ? ' bad' : ''}${S.online ? '' : ' offline'}${S.syncing ? ' syncing' : ''}`,
      'aria-label': `${t('queue')}: ${n}${S.online ? '' : ` (${t('offline')})`}`,
    }, h('small', {}, S.syncing ? t('sending') : S.online ? t('queue') : t('offline')), h('b', { id: 'queue-count', 'data-n': String(n) }, String(n))),
    withButtons && h('a', { id: 'notes-button', class: `bell${unreadCount() ? ' has' : ''}`, href: '#/notes', 'aria-label': t('notesCount', { n: unreadCount() }) },
      bellIcon(), unreadCount() ? h('b', { id: 'notes-count' }, String(unreadCount())) : ''),
    withButtons && h('a', { class: 'menu', href: '#/me', 'aria-label': t('me') }, '☰'),
  );
}

// bellIcon is drawn, not a character: the phones' fonts often have no bell.
function bellIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '26');
  svg.setAttribute('height', '26');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

let newVersion = false;

function banner() {
  const b = h('div', { id: 'banner' });
  if (newVersion) b.append(h('button', { class: 'note info', onclick: () => location.reload() }, t('newVersion')));
  if (!S.online) b.append(h('p', { class: 'note offline', id: 'offline-note' }, t('offlineNote')));
  return b;
}

// ---- login --------------------------------------------------------------------------------

function loginView() {
  const s = currentSession();
  const prev = s?.user;
  const err = h('p', { id: 'login-error', class: 'error', role: 'alert', hidden: true });
  const user = h('input', { id: 'username', name: 'username', autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false', required: true, value: prev?.username || '' });
  const pass = h('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const btn = h('button', { id: 'login-submit', class: 'primary', type: 'submit' }, t('login'));
  const fail = (msg) => {
    err.textContent = msg;
    err.hidden = false;
    btn.disabled = false;
    btn.textContent = t('login');
  };
  const form = h('form', {
    id: 'login-form',
    class: 'login',
    onsubmit: async (ev) => {
      ev.preventDefault();
      err.hidden = true;
      const name = user.value.trim();
      if (prev && name !== prev.username && S.queue.length) {
        fail(t('loginOtherUser', { n: S.queue.length, user: prev.username }));
        return;
      }
      btn.disabled = true;
      btn.textContent = t('loggingIn');
      try {
        await login(name, pass.value);
        // The app is the teams' tool: other officers have their desk in the office pages.
        if (!['inspector', 'team_lead'].includes(currentSession().user?.role)) {
          await logout();
          // The phone keeps the session it had (a team member's, with their queue), not this one.
          if (s) await store.put('kv', s, 'session');
          else await store.del('kv', 'session');
          await loadSession();
          pass.value = '';
          fail(t('notTeamApp'));
          err.append(' ', h('a', { href: '/dashboard/', id: 'office-link' }, t('openOffice')));
          return;
        }
        if (prev && prev.id !== currentSession().user?.id) await forgetData(); // another user: nothing of the last one stays
        S.expired = false;
        S.me = null;
        go('#/route');
        render();
        syncNow();
      } catch (e) {
        pass.value = '';
        if (e instanceof ApiError) fail(e.message);
        else fail(navigator.onLine ? t('loginNetwork') : t('loginOffline'));
      }
    },
  },
  h('label', { for: 'username' }, t('username')), user,
  h('label', { for: 'password' }, t('password')), pass,
  btn, err,
  langSwitch());
  const expired = s?.expired || S.expired;
  return {
    title: t('login'),
    body: [
      h('div', { class: 'brand' }, h('img', { src: 'icons/icon.svg', alt: '', width: 72, height: 72 }), h('p', {}, t('app'))),
      expired && h('p', { class: 'note warn', id: 'expired-note' }, t('sessionExpired', { n: S.queue.length })),
      form,
    ],
  };
}

function langSwitch() {
  const set = (l) => () => {
    localStorage.setItem('kiemtra.lang', l);
    setLang(l);
    render();
  };
  return h('div', { class: 'seg lang', role: 'group', 'aria-label': t('language') },
    h('button', { type: 'button', class: 'lang-vi', 'aria-pressed': String(getLang() === 'vi'), onclick: set('vi') }, 'Tiếng Việt'),
    h('button', { type: 'button', class: 'lang-en', 'aria-pressed': String(getLang() === 'en'), onclick: set('en') }, 'English'));
}

// ---- route --------------------------------------------------------------------------------

let here = null; // {lat, lon, acc, at}
let hereError = null;
let locating = false;

function refreshHere() {
  if (locating || hereError === 1 || (here && Date.now() - here.got < 120000)) return;
  locating = true;
  locate(false).then((p) => { here = { ...p, got: Date.now() }; hereError = null; }, (e) => { hereError = e.code; })
    .finally(() => { locating = false; if (current?.view === routeView) update(); });
}

const routeMode = () => localStorage.getItem('kiemtra.routeMode') || 'list';

function routeView() {
  refreshHere();
  const r = S.route;
  const tasks = S.tasks;
  const today = tasks.filter((x) => !r || x.day === r.day);
  const done = today.filter((x) => ['sent', 'done', 'missed', 'queued'].includes(taskState(x))).length;
  const mode = routeMode();
  const setMode = (m) => () => { localStorage.setItem('kiemtra.routeMode', m); render(); };
  const summary = h('section', { class: 'summary' },
    r ? h('p', { class: 'day' }, day(r.day, true)) : h('p', { class: 'day' }, t('today')),
    r && h('p', { class: 'meta' }, `${t('stops', { n: today.length })} · ${t('doneOf', { done, n: today.length })}`,
      r.fetched_at ? ` · ${t('updated', { time: time(r.fetched_at) })}` : ''));
  const seg = h('div', { class: 'seg', role: 'group' },
    h('button', { type: 'button', id: 'mode-list', 'aria-pressed': String(mode === 'list'), onclick: setMode('list') }, t('list')),
    h('button', { type: 'button', id: 'mode-map', 'aria-pressed': String(mode === 'map'), onclick: setMode('map') }, t('map')));
  let content;
  if (!r) content = h('p', { class: 'empty' }, S.syncing ? t('loading') : S.lastError && S.lastError !== 'offline' ? S.lastError : t('notLoaded'));
  else if (!tasks.length) content = h('p', { class: 'empty' }, t('noStops'));
  else if (mode === 'map') {
    content = h('div', { class: 'map-wrap' }, routeMap(
      tasks.map((x, i) => ({ lat: x.business.lat, lon: x.business.lon, n: x.route_order || i + 1, href: `#/task/${x.task_id}`, state: taskState(x), label: x.business.name })),
      here, { title: t('map'), here: t('youAreHere') }));
    content = [content, stopList(tasks, true)];
  } else content = stopList(tasks, false);
  return { title: t('route'), body: [summary, seg, content] };
}

function stopList(tasks, compact) {
  return h('ol', { class: `stops${compact ? ' compact' : ''}`, id: 'stops' }, tasks.map((x, i) => {
    const b = x.business;
    const st = taskState(x);
    const d = here ? distanceM(here.lat, here.lon, b.lat, b.lon) : null;
    return h('li', { 'data-task': x.task_id, 'data-state': st },
      h('a', { href: `#/task/${x.task_id}` },
        h('span', { class: `num ${st}` }, String(x.route_order || i + 1)),
        h('span', { class: 'main' },
          h('strong', { class: 'name' }, b.name),
          !compact && h('span', { class: 'sub' }, `${categoryName(b.category)} · ${b.address}`),
          st !== 'released' || x.day !== S.route?.day ? h('span', { class: `chip ${st}` }, t(`status_${st}`), x.day !== S.route?.day ? ` · ${day(x.day)}` : '') : ''),
        h('span', { class: 'dist' }, d == null ? '' : distance(d))));
  }));
}

// ---- task ---------------------------------------------------------------------------------

const checkinUI = {}; // task_id -> {phase: 'locating'|'offsite'|'error', pos, code}

/**
 * distanceHint is what the register of places says under the checklist item it informs (the
 * one implying the check's violation, D04): the places within the rule's distance of a dance hall, or
 * that it has none there. It informs the answer and never gives it: the register can be
 * incomplete. Empty for other items and for tasks the server sent no check with.
 * @param {any} x the task
 * @param {any} it the checklist item
 */
function distanceHint(x, it) {
  const chk = x.distance_check;
  if (!chk || !chk.violation || it.violation !== chk.violation) return '';
  const places = Array.isArray(chk.places) ? chk.places : [];
  if (!places.length) return h('p', { class: 'distance-hint ok', 'data-hint': 'none' }, 'ℹ ', t('distanceNone', { r: chk.radius_m }));
  return h('ul', { class: 'distance-hint near', 'data-hint': 'near' }, places.map((p) => h('li', {},
    '⚠ ', t('distanceNear', { name: p.name, m: Math.round(p.distance_m) }))));
}

function taskView(r) {
  const x = task(r.id);
  if (!x) return { title: t('route'), back: '#/route', body: h('p', { class: 'empty' }, t('notLoaded')) };
  const b = x.business;
  const d = S.drafts[x.task_id];
  const st = taskState(x);
  const fact = (label, value) => [h('dt', {}, label), h('dd', {}, value || t('none'))];
  const last = x.last_inspection;
  const ck = checkin(x, d);
  const body = [
    h('section', { class: 'biz' },
      h('h2', {}, h('span', { class: `num ${st}` }, String(x.route_order)), ' ', h('span', { id: 'biz-name' }, b.name)),
      h('p', { class: 'sub' }, categoryName(b.category), ' · ', reasonName(x.reason)),
      st !== 'released' && h('p', {}, h('span', { class: `chip ${st}`, id: 'task-state' }, t(`status_${st}`))),
      h('div', { class: 'row' },
        h('a', { class: 'btn', id: 'directions', href: `geo:${b.lat},${b.lon}?q=${b.lat},${b.lon}(${encodeURIComponent(b.name)})` }, '➤ ', t('directions')),
        b.phone && h('a', { class: 'btn', href: `tel:${b.phone.replace(/[^\d+]/g, '')}` }, '✆ ', t('call')))),
    d && d.state !== 'draft' ? resultCard(x, d) : ck.card,
    h('dl', { class: 'facts' },
      fact(t('address'), b.address), fact(t('owner'), b.owner_name), fact(t('phone'), b.phone),
      fact(t('licence'), b.licence_no), fact(t('securityCert'), b.security_cert_no), fact(t('taxCode'), b.tax_code),
      fact(t('due'), x.due_date && day(x.due_date))),
    h('section', { class: 'card', id: 'last-inspection' },
      h('h3', {}, t('lastInspection')),
      last ? [h('p', {}, day(last.date), ' · ', h('strong', {}, outcomeName(last.outcome))),
        last.violations?.length ? h('ul', { class: 'codes' }, last.violations.map((c) => h('li', { class: `sev-${violationSeverity(c)}` }, h('b', {}, c), ' ', violationName(c)))) : '']
        : h('p', {}, t('neverInspected'))),
  ];
  // The thumb's button: check in first, then the checklist.
  let footer;
  if (ck.needed) footer = h('button', { type: 'button', class: 'primary', id: 'checkin-button', onclick: ck.start }, '📍 ', t('checkinHere'));
  else if (ck.locating) footer = h('button', { type: 'button', class: 'primary', disabled: true }, t('locating'));
  else if (!ck.choosing) {
    const label = !d || d.state === 'draft' ? (d?.started_at ? t('continueInspection') : t('startInspection')) : d.state === 'rejected' ? t('fix') : t('viewResult');
    footer = h('a', { class: `btn primary${d?.state === 'rejected' ? ' bad' : ''}`, id: 'start-inspection', href: `#/task/${x.task_id}/check` }, label, ' →');
  }
  return { title: b.name, back: '#/route', body, footer };
}

// checkin describes the check-in of a task: its card, whether the team still has to check in
// (the bottom button then does it), and the action that does.
function checkin(x, d) {
  const b = x.business;
  const ui = checkinUI[x.task_id];
  const ck = d?.checkin;
  const card = h('section', { class: 'card', id: 'checkin' }, h('h3', {}, t('checkin')));
  const why = (code) => t(code === 1 ? 'noLocationDenied' : code === 3 ? 'noLocationTimeout' : 'noLocationUnavailable');
  const start = async () => {
    checkinUI[x.task_id] = { phase: 'locating' };
    update();
    try {
      const pos = await locate(true);
      const dist = distanceM(pos.lat, pos.lon, b.lat, b.lon);
      // Without the server's rule (its tables not loaded yet) the check-in is recorded and the
      // server's answer is the verdict.
      if (onSite(dist, pos.acc, onSiteRule()) !== false) {
        delete checkinUI[x.task_id];
        await recordCheckin(x, pos);
      } else checkinUI[x.task_id] = { phase: 'offsite', pos, dist };
    } catch (e) {
      checkinUI[x.task_id] = { phase: 'error', code: e.code ?? 2 };
    }
    update();
  };
  // needed: the bottom button checks in; locating: it waits; choosing: the choice is in the card.
  const out = { card, start, needed: false, locating: false, choosing: false };
  const button = (label, cls, onclick, id) => h('button', { type: 'button', class: `btn ${cls}`, onclick, id }, label);
  if (ck && !ck.skipped) {
    card.append(h('p', { id: 'checkin-done' }, h('strong', {}, t('checkedIn', { time: time(ck.at) }))),
      h('p', {}, t('distanceAcc', { d: distance(ck.distance_m), acc: Math.round(ck.acc) })));
    // The radius is the one the verdict was made with (a check-in stored before it was kept: today's).
    const r = ck.radius_m ?? radiusM(ck.acc, onSiteRule());
    if (ck.on_site === false && r != null) card.append(h('p', { class: 'note warn' }, t('offSite', { d: distance(ck.distance_m), r: Math.round(r) })));
    if (ck.status === 'pending') card.append(h('p', { class: 'chip queued' }, t('waiting')));
    else if (ck.status === 'sent' && ck.result) card.append(h('p', { class: `chip ${ck.result.on_site ? 'sent' : 'rejected'}`, id: 'checkin-server' }, t(ck.result.on_site ? 'onSiteServer' : 'offSiteServer')));
    else if (ck.status === 'rejected') {
      card.append(h('div', { class: 'errors' }, h('strong', {}, t('rejected')), h('ul', {}, errorLines(ck.error).map((l) => h('li', {}, l)))));
      out.needed = true;
    }
    return out;
  }
  if (ui?.phase === 'locating') {
    card.append(h('p', { class: 'busy', id: 'checkin-locating' }, t('locating')));
    out.locating = true;
    return out;
  }
  if (ui?.phase === 'offsite') {
    card.append(h('p', {}, t('distanceAcc', { d: distance(ui.dist), acc: Math.round(ui.pos.acc) })),
      h('p', { class: 'note warn', id: 'offsite-warning' }, t('offSite', { d: distance(ui.dist), r: Math.round(radiusM(ui.pos.acc, onSiteRule())) })),
      h('div', { class: 'row' },
        button(t('checkinAnyway'), 'warn', async () => { delete checkinUI[x.task_id]; await recordCheckin(x, ui.pos); update(); }, 'checkin-anyway'),
        button(t('retryLocation'), '', start)));
    out.choosing = true;
    return out;
  }
  if (ui?.phase === 'error') {
    card.append(h('p', { class: 'note warn', id: 'location-warning' }, t('noLocation', { why: why(ui.code) })),
      h('div', { class: 'row' },
        button(t('continueWithout'), 'warn', async () => {
          const dr = draftFor(x.task_id);
          dr.checkin = { skipped: true, code: ui.code, at: new Date().toISOString() };
          delete checkinUI[x.task_id];
          await saveDraft(dr);
          go(`#/task/${x.task_id}/check`);
        }, 'checkin-skip'),
        button(t('retryLocation'), '', start)));
    out.choosing = true;
    return out;
  }
  if (ck?.skipped) {
    card.append(h('p', { class: 'note warn' }, t('skippedCheckin', { why: why(ck.code) })), button(t('retryLocation'), '', start));
  } else if (x.checked_in) card.append(h('p', {}, h('strong', {}, t('status_checked'))));
  else {
    card.append(h('p', { class: 'sub' }, t('checkinHint')));
    out.needed = true;
  }
  return out;
}

async function recordCheckin(x, pos) {
  const b = x.business;
  const d = draftFor(x.task_id);
  const body = { id: crypto.randomUUID(), lat: pos.lat, lon: pos.lon, accuracy_m: Math.round(pos.acc * 10) / 10, at: new Date().toISOString(), mocked: false };
  // A check-in the server refused is replaced by the new one.
  if (d.checkin?.id && d.checkin.status !== 'sent') await dropEntry(d.checkin.id);
  const dist = distanceM(pos.lat, pos.lon, b.lat, b.lon);
  // on_site is the phone's verdict by the server's rule, null when it did not have the rule.
  const rule = onSiteRule();
  d.checkin = { id: body.id, at: body.at, lat: pos.lat, lon: pos.lon, acc: pos.acc, distance_m: dist, on_site: onSite(dist, pos.acc, rule), radius_m: radiusM(pos.acc, rule), status: 'pending' };
  await saveDraft(d);
  await enqueue({ id: body.id, kind: 'checkin', task_id: x.task_id, body });
}

function resultCard(x, d) {
  const body = d.body || {};
  const codes = d.result?.findings || (body.findings || []).map((f) => f.code).concat(impliedCodes(x, d));
  const uniq = [...new Set(codes)];
  const card = h('section', { class: `card result ${d.state}`, id: 'result' },
    h('h3', {}, t('outcome'), ': ', outcomeName(d.result?.outcome || body.outcome)),
    uniq.length ? h('ul', { class: 'codes' }, uniq.map((c) => h('li', { class: `sev-${violationSeverity(c)}` }, h('b', {}, c), ' ', violationName(c)))) : '',
    d.photos?.length ? h('p', {}, `${t('photos')}: ${d.photos.length}`) : '');
  if (d.state === 'queued') card.append(h('p', { class: 'chip queued', id: 'result-state' }, t('queued')));
  if (d.state === 'sent') {
    card.append(h('p', { class: 'chip sent', id: 'result-state' }, t('resultSent')));
    if (d.result?.flags?.length) card.append(h('p', { class: 'sub' }, `${t('flags')}: ${d.result.flags.map(flagName).join(' · ')}`));
  }
  if (d.state === 'rejected') card.append(rejection(d.error));
  return card;
}

function rejection(err) {
  return h('div', { class: 'errors', id: 'result-state', role: 'alert' }, h('strong', {}, t('resultRejected')), h('ul', {}, errorLines(err).map((l) => h('li', {}, l))));
}

function impliedCodes(x, d) {
  const cl = S.checklists[x.business.category];
  if (!cl) return [];
  return cl.items.filter((it) => d.answers?.[it.id]?.answer === 'no' && it.no_is_violation && it.violation).map((it) => it.violation);
}

// ---- checklist ------------------------------------------------------------------------------

// findingsOf lists the findings of a draft: those its "no" answers imply, then the others.
function findingsOf(x, d) {
  const cl = S.checklists[x.business.category];
  const out = [];
  const seen = new Set();
  for (const it of cl?.items || []) {
    const a = d.answers[it.id];
    if (a?.answer === 'no' && it.no_is_violation && it.violation && !seen.has(it.violation)) {
      seen.add(it.violation);
      out.push({ code: it.violation, from: it.id });
    }
  }
  for (const f of d.extra) if (!seen.has(f.code)) { seen.add(f.code); out.push(f); }
  return out;
}

const inspectedOutcome = (findings) => (findings.length ? 'violation' : 'compliant');

const saveTimers = {};
function saveLater(d) {
  clearTimeout(saveTimers[d.task_id]);
  saveTimers[d.task_id] = setTimeout(() => { delete saveTimers[d.task_id]; saveDraft(d); }, 250);
}
function flushSaves() {
  for (const id of Object.keys(saveTimers)) {
    clearTimeout(saveTimers[id]);
    delete saveTimers[id];
    if (S.drafts[id]) saveDraft(S.drafts[id]);
  }
}

function checklistView(r) {
  const x = task(r.id);
  if (!x) return { title: t('checklist'), back: '#/route', body: h('p', { class: 'empty' }, t('notLoaded')) };
  const cl = S.checklists[x.business.category];
  const d = draftFor(x.task_id);
  const editable = d.state === 'draft' || d.state === 'rejected';
  if (editable && !d.started_at) {
    // The visit starts at the check-in, or now when there was none.
    d.started_at = d.checkin?.at && !d.checkin.skipped ? d.checkin.at : new Date().toISOString();
    saveDraft(d);
  }
  if (!cl) return { title: x.business.name, back: `#/task/${x.task_id}`, body: h('p', { class: 'empty' }, t('notLoaded')) };
  const ro = !editable;
  const progress = h('p', { class: 'progress', id: 'progress' });
  const setProgress = () => {
    const a = cl.items.filter((it) => d.answers[it.id]?.answer).length;
    progress.textContent = `${t('checklist')} · ${t('answered', { a, n: cl.items.length })}`;
    progress.classList.toggle('complete', a === cl.items.length);
  };
  setProgress();

  const findingsBox = h('section', { class: 'card', id: 'findings' });
  const outcomeBox = h('section', { class: 'card', id: 'outcome' });
  const errors = h('div', { id: 'submit-errors' });
  const refresh = () => {
    setProgress();
    drawFindings();
    drawOutcome();
  };

  const item = (it) => {
    const li = h('li', { class: 'item', id: `item-${it.id}`, 'data-id': it.id });
    const draw = () => {
      const a = d.answers[it.id] || {};
      li.dataset.answer = a.answer || '';
      const pick = (v) => () => {
        d.answers[it.id] = { ...(d.answers[it.id] || {}), answer: v };
        saveDraft(d);
        li.classList.remove('missing');
        draw();
        refresh();
      };
      const ans = (v, label) => h('button', { type: 'button', class: `ans ${v}`, role: 'radio', 'aria-checked': String(a.answer === v), 'data-value': v, disabled: ro, onclick: pick(v) }, label);
      const noteOpen = a.note != null && (a.note !== '' || li.dataset.noteOpen === '1');
      const openNote = () => {
        li.dataset.noteOpen = '1';
        d.answers[it.id] = { ...(d.answers[it.id] || {}), note: d.answers[it.id]?.note || '' };
        draw();
        $('textarea', li)?.focus();
      };
      li.replaceChildren(
        h('div', { class: 'q' },
          h('p', {}, h('span', { class: 'code' }, it.id), ' ', getLang() === 'en' ? it.en : it.vi),
          !ro && !noteOpen && h('button', { type: 'button', class: 'pen', 'aria-label': `${t('note')} ${it.id}`, title: t('note'), onclick: openNote }, '✎')),
        h('div', { class: 'answers', role: 'radiogroup', 'aria-label': it.id }, ans('yes', t('yes')), ans('no', t('no')), ans('na', t('na'))),
        distanceHint(x, it),
        a.answer === 'no' && it.no_is_violation && it.violation
          ? h('p', { class: `implied sev-${violationSeverity(it.violation)}` }, '⚠ ', t('violationIf'), ': ', h('b', {}, it.violation), ' ', violationName(it.violation)) : '',
        noteOpen ? h('textarea', { class: 'note-input', rows: 2, 'aria-label': `${t('note')} ${it.id}`, placeholder: t('note'), disabled: ro, value: a.note || '', oninput: (ev) => { d.answers[it.id] = { ...(d.answers[it.id] || {}), note: ev.target.value }; saveLater(d); } }) : '',
      );
    };
    draw();
    return li;
  };

  const drawFindings = () => {
    const fs = findingsOf(x, d);
    const sel = h('select', { id: 'finding-code', 'aria-label': t('addFinding') }, h('option', { value: '' }, t('chooseCode')),
      violationCodes().filter((c) => !fs.some((f) => f.code === c)).map((c) => h('option', { value: c }, `${c} – ${violationName(c)}`)));
    const note = h('input', { id: 'finding-note', placeholder: t('note'), 'aria-label': t('note') });
    findingsBox.replaceChildren(
      h('h3', {}, t('findings'), fs.length ? ` (${fs.length})` : ''),
      fs.length ? h('ul', { class: 'codes' }, fs.map((f) => h('li', { class: `sev-${violationSeverity(f.code)}` },
        h('b', {}, f.code), ' ', violationName(f.code),
        f.from ? h('span', { class: 'sub' }, ` (${t('fromAnswer', { id: f.from })})`) : '',
        f.note ? h('span', { class: 'sub' }, ` – ${f.note}`) : '',
        !f.from && !ro && h('button', { type: 'button', class: 'link bad', onclick: () => { d.extra = d.extra.filter((e) => e.code !== f.code); saveDraft(d); refresh(); } }, t('remove')))))
        : h('p', { class: 'sub' }, t('noFindings')),
      !ro && h('div', { class: 'add-finding' }, sel, note,
        h('button', { type: 'button', class: 'btn', id: 'finding-add', onclick: () => {
          if (!sel.value) return;
          d.extra.push({ code: sel.value, note: note.value.trim() });
          saveDraft(d);
          refresh();
        } }, t('add'))));
  };

  const drawOutcome = () => {
    const fs = findingsOf(x, d);
    const opt = (value, label, extra) => h('label', { class: `opt${d.outcome === value ? ' on' : ''}` },
      h('input', { type: 'radio', name: 'outcome', value, checked: d.outcome === value, disabled: ro, onchange: () => { d.outcome = value; saveDraft(d); drawOutcome(); } }),
      h('span', {}, label, extra ? h('small', {}, extra) : ''));
    outcomeBox.replaceChildren(h('h3', {}, t('outcome')),
      opt('', outcomeName(inspectedOutcome(fs)), t('outcomeAuto')),
      opt('closed', outcomeName('closed')), opt('refused', outcomeName('refused')), opt('not_found', outcomeName('not_found')),
      d.outcome && (Object.keys(d.answers).length || d.extra.length) ? h('p', { class: 'note warn' }, t('dropAnswers')) : '');
  };
  drawFindings();
  drawOutcome();

  const photoMsg = h('p', { class: 'sub', id: 'photo-msg', 'aria-live': 'polite' });
  const thumbs = h('div', { class: 'thumbs', id: 'thumbs' });
  const drawThumbs = () => thumbs.replaceChildren(...d.photos.map((p) => h('figure', {},
    h('img', { src: p.thumb, alt: `${p.width}×${p.height}` }),
    !ro && !p.queued && h('button', { type: 'button', class: 'x', 'aria-label': t('remove'), onclick: async () => { d.photos = d.photos.filter((q) => q.id !== p.id); await deletePhoto(p.id); await saveDraft(d); drawThumbs(); } }, '×'))));
  drawThumbs();
  const fileInput = h('input', { type: 'file', accept: 'image/*', capture: 'environment', multiple: true, id: 'photo-input', class: 'visually-hidden', onchange: async (ev) => {
    for (const file of ev.target.files) {
      try {
        const p = await resize(file);
        const id = crypto.randomUUID();
        await savePhoto({ id, task_id: x.task_id, blob: p.blob });
        d.photos.push({ id, thumb: p.thumb, width: p.width, height: p.height, size: p.blob.size });
        await saveDraft(d);
        photoMsg.textContent = t('photoResized', { w: p.width, h: p.height, kb: kb(p.blob.size) });
        photoMsg.className = 'sub';
      } catch (e) {
        photoMsg.textContent = e instanceof PhotoError && e.kind === 'too_large' ? t('photoTooLarge', { mb: e.mb }) : t('photoUnreadable');
        photoMsg.className = 'error';
      }
    }
    ev.target.value = '';
    drawThumbs();
  } });

  const notes = h('textarea', { id: 'notes', rows: 3, disabled: ro, value: d.notes, oninput: (ev) => { d.notes = ev.target.value; saveLater(d); } });

  const body = [
    progress,
    d.state === 'rejected' ? rejection(d.error) : '',
    d.state === 'queued' || d.state === 'sent' ? resultCard(x, d) : '',
    h('ol', { class: 'checklist', id: 'checklist' }, cl.items.map(item)),
    findingsBox,
    h('section', { class: 'card', id: 'photos' }, h('h3', {}, t('photos')), thumbs,
      !ro && h('label', { class: 'btn', for: 'photo-input' }, '📷 ', t('takePhoto')), fileInput, photoMsg),
    outcomeBox,
    h('section', { class: 'card' }, h('label', { for: 'notes' }, h('h3', {}, t('generalNotes'))), notes),
    recordCard(d, { h, ro, save: () => { $('#record-error')?.remove(); saveLater(d); }, inspectorName: S.me?.display_name || S.me?.username || '' }),
    errors,
  ];

  const submit = async () => {
    flushSaves();
    // The checklist as stored now: a sync may have brought a newer version since the view opened.
    const cl = S.checklists[x.business.category];
    const fs = findingsOf(x, d);
    const outcome = d.outcome || inspectedOutcome(fs);
    const inspected = outcome === 'compliant' || outcome === 'violation';
    const missing = inspected ? cl.items.filter((it) => !d.answers[it.id]?.answer) : [];
    errors.replaceChildren();
    if (missing.length) {
      for (const it of missing) $(`#item-${it.id}`)?.classList.add('missing');
      errors.append(h('p', { class: 'error', role: 'alert' }, t('missingAnswers', { n: missing.length }), ' ', missing.map((it) => it.id).join(', ')));
      $(`#item-${missing[0].id}`)?.scrollIntoView({ block: 'center' });
      return;
    }
    const now = new Date();
    let notesText = d.notes.trim();
    if (d.checkin?.skipped) {
      const why = t(d.checkin.code === 1 ? 'noLocationDenied' : d.checkin.code === 3 ? 'noLocationTimeout' : 'noLocationUnavailable');
      notesText = [notesText, t('skippedNote', { why })].filter(Boolean).join('\n');
    }
    const started = new Date(d.started_at) > now ? now : new Date(d.started_at);
    const body = {
      id: d.inspection_id,
      task_id: x.task_id,
      started_at: started.toISOString(),
      finished_at: now.toISOString(),
      outcome,
      checklist_version: cl.version,
      answers: inspected ? cl.items.map((it) => ({ item_id: it.id, answer: d.answers[it.id].answer, ...(d.answers[it.id].note ? { note: d.answers[it.id].note.trim() } : {}) })) : [],
      findings: inspected ? d.extra.map((f) => ({ code: f.code, ...(f.note ? { note: f.note } : {}) })) : [],
      members: [],
      notes: notesText,
    };
    const record = recordBody(d, body.id);
    if (record && 'error' in record) {
      errors.append(h('p', { class: 'error', role: 'alert', id: 'record-error' }, record.error));
      $('#record')?.scrollIntoView({ block: 'center' });
      return;
    }
    d.state = 'queued';
    d.error = null;
    d.body = body;
    d.submitted_at = now.toISOString();
    await saveDraft(d);
    await enqueue({ id: body.id, kind: 'inspection', task_id: x.task_id, body });
    // The record goes after its inspection, in the same /sync batch.
    if (record) await enqueue({ id: `record-${body.id}`, kind: 'record', task_id: x.task_id, inspection_id: body.id, body: record });
    for (const p of d.photos) {
      if (p.queued || p.uploaded) continue;
      p.queued = true;
      await enqueue({ id: p.id, kind: 'photo', task_id: x.task_id, inspection_id: d.inspection_id, size: p.size });
    }
    await saveDraft(d);
    go(`#/task/${x.task_id}`);
  };

  return {
    title: x.business.name,
    back: `#/task/${x.task_id}`,
    body,
    footer: editable ? h('button', { type: 'button', class: 'primary', id: 'submit', onclick: submit }, S.online ? t('submit') : t('submitOffline')) : null,
  };
}

// ---- queue --------------------------------------------------------------------------------

function queueView() {
  const name = (id) => task(id)?.business?.name || '';
  const n = S.queue.length;
  const items = S.queue.map((e) => h('li', { class: `entry ${e.status}`, 'data-kind': e.kind, 'data-status': e.status },
    h('p', {}, h('strong', {}, t(`kind_${e.kind}`)), ' · ', name(e.task_id)),
    h('p', { class: 'sub' }, time(e.created_at), ' · ',
      h('span', { class: `chip ${e.status === 'rejected' ? 'rejected' : 'queued'}` },
        e.status === 'rejected' ? t('rejected') : (e.kind === 'photo' || e.kind === 'record') && S.queue.some((q) => q.id === e.inspection_id) ? t('waitingResult') : t('waiting')),
      e.size ? ` · ${kb(e.size)} KB` : ''),
    e.status === 'rejected' && h('div', { class: 'errors' }, h('ul', {}, errorLines(e.error).map((l) => h('li', {}, l))),
      h('a', { class: 'btn', href: e.kind === 'inspection' ? `#/task/${e.task_id}/check` : `#/task/${e.task_id}` }, t('fix')))));
  const status = !S.online ? '' : S.syncing ? t('sending') : S.lastError && S.lastError !== 'offline' ? S.lastError : '';
  return {
    title: t('queueTitle'),
    back: '#/route',
    body: [
      h('p', { class: 'summary', id: 'queue-summary' }, n ? `${t('queue')}: ${n}` : t('queueEmpty')),
      status && h('p', { class: `note ${S.online ? 'info' : 'offline'}` }, status),
      n ? h('ul', { class: 'queue', id: 'queue-list' }, items) : '',
      S.sent.length ? [h('h3', {}, t('recentlySent')), h('ul', { class: 'queue sent', id: 'sent-list' }, S.sent.slice(0, 10).map((e) => h('li', { class: 'entry sent' },
        h('p', {}, '✓ ', h('strong', {}, t(`kind_${e.kind}`)), ' · ', e.name), h('p', { class: 'sub' }, time(e.at)))))] : '',
    ],
    footer: h('button', { type: 'button', class: 'primary', id: 'send-now', disabled: !S.online || S.syncing || !n, onclick: () => syncNow() }, S.syncing ? t('sending') : t('sendNow')),
  };
}

// ---- notifications --------------------------------------------------------------------------

function notesView(r) {
  if (r.id === 'settings') return noteSettingsView();
  const vi = getLang() === 'vi';
  // Opening goes at once; the read mark follows (on a slow network it would hold the page).
  const open = (n) => {
    const marked = readNote(n.id);
    const to = appHash(n.link);
    if (to) go(to);
    else if (n.link) marked.finally(() => { location.href = n.link; });
    else marked.then(update);
  };
  const items = N.items.map((n) => h('li', { class: `note-item${n.read_at ? ' read' : ''}`, 'data-id': n.id, 'data-kind': n.kind },
    h('button', { type: 'button', class: 'note-open', onclick: () => open(n) },
      h('strong', {}, vi ? n.title_vi : n.title_en),
      h('span', { class: 'sub' }, vi ? n.body_vi : n.body_en),
      h('span', { class: 'sub when' }, `${day(n.sent_at.slice(0, 10))} ${time(n.sent_at)}`, n.read_at ? '' : h('span', { class: 'chip queued' }, t('unread'))))));
  return {
    title: t('notes'),
    back: '#/route',
    body: [
      h('p', { class: 'summary', id: 'notes-summary' }, N.items.length ? t('notesCount', { n: unreadCount() }) : t('notesEmpty')),
      N.fetched_at && h('p', { class: 'sub' }, t('updated', { time: time(N.fetched_at) })),
      N.items.length ? h('ul', { class: 'notes', id: 'notes-list' }, items) : '',
      h('p', {}, h('a', { class: 'btn', id: 'notes-settings', href: '#/notes/settings' }, t('noteSettings'))),
    ],
  };
}

// The kinds that reach field staff, and the channels of their phone.
const FIELD_KINDS = ['urgent_tip', 'team_day', 'result_rejected'];
const FIELD_CHANNELS = ['in_app', 'push'];

// noteSettingsView lets the inspector switch kinds off on the phone and set quiet hours. The
// settings are the server's (read and saved online); the other kinds and channels (e-mail of a
// lead) are sent back as they were read.
function noteSettingsView() {
  const body = h('div', { id: 'note-settings' }, h('p', { class: 'sub' }, S.online ? t('loading') : t('noteSettingsOffline')));
  const draw = async (notice) => {
    let st;
    try {
      const res = await api('/me/notification-settings');
      if (!res.ok) throw new ApiError(res.status, await readJSON(res));
      st = await res.json();
    } catch (e) {
      body.replaceChildren(h('p', { class: 'note warn' }, S.online ? (e?.message || t('noteSettingsOffline')) : t('noteSettingsOffline')));
      return;
    }
    const kinds = FIELD_KINDS.filter((k) => st.choices.kinds.includes(k));
    const channels = FIELD_CHANNELS.filter((c) => st.choices.channels.includes(c));
    const boxes = [];
    const rows = kinds.map((k) => h('fieldset', { class: 'card kind', 'data-kind': k }, h('legend', {}, t(`noteKind_${k}`)),
      channels.map((c) => {
        const box = h('input', { type: 'checkbox', checked: st.kinds[k]?.[c] !== false, 'data-channel': c });
        boxes.push([k, c, box]);
        return h('label', { class: 'check' }, box, ' ', t(`noteChannel_${c}`));
      })));
    const qs = h('input', { type: 'time', id: 'quiet-start', value: st.quiet_start || '' });
    const qe = h('input', { type: 'time', id: 'quiet-end', value: st.quiet_end || '' });
    const errors = h('div', { id: 'note-settings-error', role: 'alert' });
    const save = h('button', { type: 'submit', class: 'primary', id: 'note-settings-save', disabled: !S.online }, t('noteSave'));
    const form = h('form', { id: 'note-settings-form', novalidate: true },
      notice ? h('p', { class: 'note info', id: 'note-settings-saved', role: 'status' }, notice) : '',
      rows,
      h('section', { class: 'card' }, h('h3', {}, t('quietHours')), h('p', { class: 'sub' }, t('quietHint', { zone: st.time_zone })),
        h('div', { class: 'quiet' }, h('label', {}, t('quietFrom'), qs), h('label', {}, t('quietTo'), qe))),
      errors, save);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      errors.replaceChildren();
      save.disabled = true;
      const kindsOut = JSON.parse(JSON.stringify(st.kinds));
      for (const [k, c, box] of boxes) (kindsOut[k] ||= {})[c] = box.checked;
      try {
        const res = await api('/me/notification-settings', { method: 'PUT', json: { version: st.version, email: st.email, phone: st.phone || '', kinds: kindsOut, quiet_start: qs.value, quiet_end: qe.value } });
        if (!res.ok) throw new ApiError(res.status, await readJSON(res));
        await draw(t('noteSaved'));
      } catch (e) {
        save.disabled = false;
        errors.replaceChildren(h('div', { class: 'errors' }, h('ul', {}, (e instanceof ApiError ? errorLines(e.error) : [e?.message || String(e)]).map((l) => h('li', {}, l)))));
      }
    });
    body.replaceChildren(form);
  };
  if (S.online) draw();
  return { title: t('noteSettings'), back: '#/notes', body: [body] };
}

// pushCard offers push on this device: it says why when it cannot be had.
function pushCard() {
  const card = h('section', { class: 'card', id: 'push-card' }, h('h3', {}, t('push')), h('p', { class: 'sub', id: 'push-state' }, t('loading')));
  const say = (text, button) => {
    card.replaceChildren(h('h3', {}, t('push')), h('p', { class: 'sub', id: 'push-state' }, text), button || '');
  };
  const draw = async () => {
    const { state, key } = await pushState().catch(() => ({ state: /** @type {'off-server'} */ ('off-server'), key: undefined }));
    const act = (label, id, fn) => h('button', { type: 'button', class: 'btn', id, disabled: !S.online, onclick: async (e) => {
      /** @type {HTMLButtonElement} */ (e.currentTarget).disabled = true;
      try {
        await fn();
      } catch (err) {
        say(err?.message === 'denied' ? t('pushDenied') : `${t('pushFailed')} ${err instanceof ApiError ? err.message : ''}`.trim(), act(label, id, fn));
        return;
      }
      draw();
    } }, label);
    if (state === 'unsupported') say(t('pushUnsupported'));
    else if (state === 'offline') say(t('pushOffline'));
    else if (state === 'off-server') say(t('pushOffServer'));
    else if (state === 'denied') say(t('pushDenied'));
    else if (state === 'on') say(t('pushOn'), act(t('pushDisable'), 'push-disable', disablePush));
    else say(t('pushOff'), act(t('pushEnable'), 'push-enable', () => enablePush(key)));
  };
  draw();
  return card;
}

// ---- account ------------------------------------------------------------------------------

function meView() {
  const s = currentSession();
  const u = S.me?.user || s?.user || {};
  return {
    title: t('me'),
    back: '#/route',
    body: [
      h('section', { class: 'card' }, h('h3', {}, u.display_name || u.username), h('p', { class: 'sub' }, u.username),
        u.agency && h('p', { id: 'me-agency' }, `${t('agency')}: ${agencyName(u.agency, S.agencies)}`),
        S.me?.team && h('p', {}, `${t('team')}: ${S.me.team.name}`)),
      h('section', { class: 'card' }, h('h3', {}, t('language')), langSwitch()),
      pushCard(),
      h('section', { class: 'card' },
        h('button', { type: 'button', class: 'btn', id: 'reload-route', disabled: !S.online, onclick: async () => { try { await refreshRoute(true); } catch { /* shown by the next sync */ } go('#/route'); } }, t('refresh')),
        h('button', { type: 'button', class: 'btn bad', id: 'logout', onclick: doLogout }, t('logout'))),
    ],
  };
}

async function doLogout() {
  const n = S.queue.length;
  if (n && !confirm(t('logoutConfirm', { n }))) return;
  S.leaving = true;
  render();
  try {
    // The phone is no longer this user's: its pushes stop with the session.
    await disablePush().catch(() => {});
    await logout(); // no sync starts without a session
    await settle();
    // A draft waiting to be saved would write into the database after it is deleted.
    for (const id of Object.keys(saveTimers)) {
      clearTimeout(saveTimers[id]);
      delete saveTimers[id];
    }
    await forgetData();
    if ('caches' in window) for (const k of await caches.keys()) await caches.delete(k);
    localStorage.removeItem('kiemtra.routeMode');
    // The app shell is no one's data: cache it again so that the app still opens offline.
    navigator.serviceWorker?.controller?.postMessage('precache');
  } finally {
    S.leaving = false;
  }
  go('#/login');
  render();
}

// leavingView is shown while a logout deletes the phone's data.
function leavingView() {
  return { title: t('logout'), body: [h('p', { class: 'note', id: 'leaving', role: 'status' }, t('leaving'))] };
}

// forgetData deletes everything of the signed-in user from the phone.
async function forgetData() {
  const s = currentSession();
  await store.wipe();
  Object.assign(S, { route: null, me: null, agencies: null, tasks: [], checklists: {}, drafts: {}, queue: [], sent: [], expired: false, lastError: null });
  resetNotes();
  useReference(null);
  if (s?.refresh_token) await store.put('kv', s, 'session');
  await loadSession();
}

// ---- start --------------------------------------------------------------------------------

async function boot() {
  setLang(localStorage.getItem('kiemtra.lang') || 'vi');
  try {
    await loadSession();
    await loadAll();
  } catch (e) {
    console.error('loading the stored data', e);
  }
  addEventListener('hashchange', () => { flushSaves(); render(); scrollTo(0, 0); });
  addEventListener('online', () => { S.online = true; changed(); syncNow(); });
  addEventListener('offline', () => { S.online = false; changed(); });
  addEventListener('pagehide', flushSaves);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') flushSaves();
    else if (loggedIn()) syncNow();
  });
  onChange(update);
  render();
  timings.interactive = performance.now();
  document.documentElement.dataset.ready = '1';
  if (loggedIn()) {
    syncNow();
    renewPush();
  }
  setInterval(() => { if (loggedIn() && S.online) syncNow(); }, 60000);
  navigator.storage?.persist?.();
  if ('serviceWorker' in navigator) {
    // Registered once the page has loaded, so that it does not compete with the first paint.
    const register = () => navigator.serviceWorker.register('sw.js').catch((e) => console.warn('service worker', e));
    if (document.readyState === 'complete') register();
    else addEventListener('load', register);
    const hadController = !!navigator.serviceWorker.controller;
    navigator.serviceWorker.addEventListener('controllerchange', () => {
      if (hadController) {
        newVersion = true;
        update();
      }
    });
  }
}

boot();
