// @ts-check
// A small promise wrapper over IndexedDB: everything the phone keeps between visits lives here,
// so that a closed app or a restarted phone loses nothing.
//
// Stores: kv (session, route metadata, the server's reference tables, settings), tasks (today's
// stops by task_id), checklists (by category), drafts (what was typed for a task, by task_id),
// queue (writes waiting for the network, by client id), photos (resized pictures by id) and sent
// (a short log of what the server accepted).

const NAME = 'kiemtra';
const STORES = {
  kv: null,
  tasks: 'task_id',
  checklists: 'category',
  drafts: 'task_id',
  queue: 'id',
  photos: 'id',
  sent: 'id',
};

let opening = null;

function open() {
  if (opening) return opening;
  opening = new Promise((resolve, reject) => {
    const req = indexedDB.open(NAME, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      for (const [name, keyPath] of Object.entries(STORES)) {
        if (!db.objectStoreNames.contains(name)) db.createObjectStore(name, keyPath ? { keyPath } : undefined);
      }
    };
    req.onsuccess = () => {
      const db = req.result;
      // Another tab deleting the database (a logout) must not wait for this one.
      db.onversionchange = () => { db.close(); opening = null; };
      resolve(db);
    };
    req.onerror = () => { opening = null; reject(req.error); };
  });
  return opening;
}

function done(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

// run calls fn(stores) in one transaction and resolves with fn's result once it committed.
export async function run(names, mode, fn) {
  const db = await open();
  const list = Array.isArray(names) ? names : [names];
  const tx = db.transaction(list, mode);
  const committed = new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error || new Error('transaction aborted'));
  });
  const stores = Object.fromEntries(list.map((n) => [n, tx.objectStore(n)]));
  const result = await fn(stores);
  await committed;
  return result;
}

export const get = (store, key) => run(store, 'readonly', (s) => done(s[store].get(key)));
export const all = (store) => run(store, 'readonly', (s) => done(s[store].getAll()));
export const del = (store, key) => run(store, 'readwrite', (s) => { s[store].delete(key); });
export const put = (store, value, key) => run(store, 'readwrite', (s) => { s[store].put(value, key); });

// replaceAll replaces a store's content with values in one transaction.
export const replaceAll = (store, values) => run(store, 'readwrite', (s) => {
  s[store].clear();
  for (const v of values) s[store].put(v);
});

// wipe deletes the whole database (logout).
export async function wipe() {
  if (opening) {
    try { (await opening).close(); } catch { /* it failed to open: nothing to close */ }
    opening = null;
  }
  await new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(NAME);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}
