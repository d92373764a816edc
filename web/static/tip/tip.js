// @ts-check
// The public tip form's place picker, on the shared SVG map (no tiles): the city's wards and
// communes are dots (their label points, read from the form's select); tapping a dot chooses it
// in the select, tapping elsewhere marks the place, written into the form's hidden lat and lon
// fields. Without this script the form works with the text place and the select.

import { pointMap } from '../shared/js/map.js';

/**
 * Reads "west,south,east,north" into [minLon, minLat, maxLon, maxLat].
 * @param {string} s
 * @returns {number[] | null}
 */
export function parseBounds(s) {
  const p = (s || '').split(',').map(Number);
  if (p.length !== 4 || p.some((v) => !Number.isFinite(v)) || p[0] >= p[2] || p[1] >= p[3]) return null;
  return p;
}

/**
 * The spot held in the hidden fields, or null.
 * @param {HTMLInputElement} lat
 * @param {HTMLInputElement} lon
 */
function spotOf(lat, lon) {
  const la = Number(lat.value), lo = Number(lon.value);
  return lat.value !== '' && lon.value !== '' && Number.isFinite(la) && Number.isFinite(lo) ? { lat: la, lon: lo } : null;
}

function start() {
  const box = document.getElementById('pick');
  const mapEl = document.getElementById('pick-map');
  const select = /** @type {HTMLSelectElement | null} */ (document.getElementById('area'));
  const lat = /** @type {HTMLInputElement | null} */ (document.getElementById('lat'));
  const lon = /** @type {HTMLInputElement | null} */ (document.getElementById('lon'));
  const shown = document.getElementById('pick-shown');
  const clear = document.getElementById('pick-clear');
  if (!box || !mapEl || !select || !lat || !lon) return;
  const bounds = parseBounds(box.dataset.bounds || '');
  if (!bounds) return;
  const vi = document.documentElement.lang !== 'en';
  /** @type {import('../shared/js/map.js').MapPoint[]} */
  const points = [...select.options].filter((o) => o.value && o.dataset.lat).map((o) => ({
    id: o.value, title: o.text, label: '', lat: Number(o.dataset.lat), lon: Number(o.dataset.lon),
  }));

  // The select is the keyboard's way to choose a commune: the dots are for the pointer only,
  // not a hundred stops on the way to the next field.
  const quiet = () => {
    for (const g of mapEl.querySelectorAll('.pm-point')) {
      g.setAttribute('tabindex', '-1');
      g.setAttribute('aria-hidden', 'true');
    }
  };
  const say = () => {
    const has = spotOf(lat, lon) !== null;
    if (shown) shown.textContent = has ? (vi ? 'Đã đánh dấu vị trí.' : 'Place marked.') : '';
    if (clear) clear.hidden = !has;
  };
  const map = pointMap(mapEl, points, {
    bounds,
    selected: select.value,
    picked: spotOf(lat, lon),
    label: vi ? 'Bản đồ chọn vị trí' : 'Map to pick the place',
    onSelect: (p) => {
      select.value = p.id;
      redraw();
    },
    onPick: (la, lo) => {
      lat.value = la.toFixed(6);
      lon.value = lo.toFixed(6);
      quiet();
      say();
    },
  });
  const redraw = () => {
    map.update(points, { selected: select.value, picked: spotOf(lat, lon) });
    quiet();
    say();
  };
  clear?.addEventListener('click', (ev) => {
    ev.preventDefault();
    lat.value = '';
    lon.value = '';
    redraw();
  });
  select.addEventListener('change', redraw);
  quiet();
  say();
  box.hidden = false;
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
