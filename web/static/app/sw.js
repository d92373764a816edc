// @ts-check
// The service worker keeps the app shell in a versioned cache so that the app opens without a
// network. API calls are not cached here: the app keeps its data in IndexedDB itself. The server
// replaces VERSION with a hash of the app's files (web.LoadAssets) and sends this file with
// no-cache, so phones pick up a changed app on their next start.
/** @type {ServiceWorkerGlobalScope} */
const sw = /** @type {any} */ (self);
const VERSION = 'stamped by the server';
const CACHE = `kiemtra-app-${VERSION}`;
const SHELL = [
  './',
  'app.css',
  'js/app.js',
  'js/api.js',
  'js/data.js',
  'js/geo.js',
  'js/i18n.js',
  'js/notes.js',
  'js/photo.js',
  'js/signature.js',
  'js/store.js',
  'manifest.webmanifest',
  'icons/icon.svg',
  'icons/icon-192.png',
];

async function precache() {
  const cache = await caches.open(CACHE);
  // Past the HTTP cache: the shell must be the files of this version.
  await cache.addAll(SHELL.map((u) => new Request(u, { cache: 'reload' })));
}

sw.addEventListener('install', (e) => {
  e.waitUntil(precache().then(() => sw.skipWaiting()));
});

sw.addEventListener('activate', (e) => {
  e.waitUntil((async () => {
    for (const k of await caches.keys()) {
      if (k.startsWith('kiemtra-app-') && k !== CACHE) await caches.delete(k);
    }
    await sw.clients.claim();
  })());
});

// After a logout wiped the caches, the app asks for the shell again.
sw.addEventListener('message', (e) => {
  if (e.data === 'precache') e.waitUntil(precache().catch(() => {}));
});

sw.addEventListener('fetch', (e) => {
  const req = e.request;
  const url = new URL(req.url);
  const scope = new URL(sw.registration.scope);
  if (req.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  if (req.mode === 'navigate') {
    // Every page of the app is the one shell; the route is in the hash.
    e.respondWith(caches.match(scope.href).then((r) => r || fetch(req)));
    return;
  }
  e.respondWith(caches.match(req, { ignoreSearch: true }).then((r) => r || fetch(req)));
});

// A push is a notification of the outbox (notify.PushMessage), already in the language the
// phone subscribed in. Its id is the tag: a push sent again after a retry replaces the one shown.
sw.addEventListener('push', (e) => {
  let m = null;
  try {
    m = e.data?.json();
  } catch {
    m = null;
  }
  // A push must show something (the browser would show its own words otherwise): one it
  // cannot read says that there is news in the app.
  if (!m?.title) m = { title: 'Kiểm tra liên ngành', body: 'Có thông báo mới trong ứng dụng.', link: '/app/#/notes' };
  e.waitUntil(sw.registration.showNotification(m.title, {
    body: m.body || '', tag: m.id, data: { link: m.link || '' }, icon: 'icons/icon-192.png', badge: 'icons/icon-192.png',
  }));
});

// Touching the notification opens its link in the app's window, or a new one.
sw.addEventListener('notificationclick', (e) => {
  e.notification.close();
  const scope = new URL(sw.registration.scope);
  const link = e.notification.data?.link || '';
  const target = new URL(link || scope.pathname, scope.origin);
  e.waitUntil((async () => {
    const wins = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const w of wins) {
      if (new URL(w.url).pathname === target.pathname && 'focus' in w) {
        await /** @type {WindowClient} */ (w).navigate(target.href).catch(() => null);
        return /** @type {WindowClient} */ (w).focus();
      }
    }
    return sw.clients.openWindow(target.href);
  })());
});
