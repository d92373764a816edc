// @ts-check
// The public tip form's place picker: a small SVG map of the city's wards and communes (their
// label points, from the form's select) where a tap marks the place, written into the form's
// hidden lat and lon fields. Without this script the form works with the text place and the
// select; nothing here is needed to send a tip.

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 600;

/**
 * @typedef {{west: number, south: number, east: number, north: number}} Bounds
 * @typedef {{code: string, name: string, lat: number, lon: number}} Unit
 */

/**
 * Reads "west,south,east,north".
 * @param {string} s
 * @returns {Bounds | null}
 */
export function parseBounds(s) {
  const p = (s || '').split(',').map(Number);
  if (p.length !== 4 || p.some((v) => !Number.isFinite(v)) || p[0] >= p[2] || p[1] >= p[3]) return null;
  return { west: p[0], south: p[1], east: p[2], north: p[3] };
}

/**
 * A projection of the bounds onto an SVG WIDTH wide: equirectangular, with longitudes shrunk by
 * the cosine of the middle latitude so that the city keeps its shape.
 * @param {Bounds} b
 */
export function projection(b) {
  const k = Math.cos(((b.south + b.north) / 2) * Math.PI / 180);
  const scale = WIDTH / ((b.east - b.west) * k);
  const height = Math.round((b.north - b.south) * scale);
  return {
    height,
    /** @param {number} lat @param {number} lon */
    toXY: (lat, lon) => [(lon - b.west) * k * scale, (b.north - lat) * scale],
    /** @param {number} x @param {number} y */
    toLatLon: (x, y) => [b.north - y / scale, b.west + x / (k * scale)],
  };
}

/**
 * @param {string} tag
 * @param {Record<string, string | number>} attrs
 */
function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
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
  const proj = projection(bounds);
  /** @type {Unit[]} */
  const units = [...select.options].filter((o) => o.value && o.dataset.lat).map((o) => ({
    code: o.value, name: o.text, lat: Number(o.dataset.lat), lon: Number(o.dataset.lon),
  }));
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${proj.height}`, role: 'img' });
  root.appendChild(svg('rect', { x: 0, y: 0, width: WIDTH, height: proj.height, fill: 'transparent' }));
  /** @type {Map<string, SVGElement>} */
  const dots = new Map();
  for (const u of units) {
    const [x, y] = proj.toXY(u.lat, u.lon);
    const dot = svg('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: 4, class: 'dot' });
    const title = svg('title', {});
    title.textContent = u.name;
    dot.appendChild(title);
    root.appendChild(dot);
    dots.set(u.code, dot);
  }
  const mark = svg('circle', { r: 9, class: 'mark' });
  mark.setAttribute('visibility', 'hidden');
  root.appendChild(mark);
  mapEl.appendChild(root);

  const highlight = () => {
    for (const [code, dot] of dots) dot.classList.toggle('sel', code === select.value);
  };
  const showMark = () => {
    const la = Number(lat.value), lo = Number(lon.value);
    const has = lat.value !== '' && Number.isFinite(la) && Number.isFinite(lo);
    if (has) {
      const [x, y] = proj.toXY(la, lo);
      mark.setAttribute('cx', x.toFixed(1));
      mark.setAttribute('cy', y.toFixed(1));
    }
    mark.setAttribute('visibility', has ? 'visible' : 'hidden');
    if (shown) shown.textContent = has ? (vi ? 'Đã đánh dấu vị trí' : 'Place marked') : '';
    if (clear) clear.hidden = !has;
  };
  root.addEventListener('click', (ev) => {
    const r = root.getBoundingClientRect();
    if (r.width === 0) return;
    const x = (ev.clientX - r.left) * WIDTH / r.width;
    const y = (ev.clientY - r.top) * proj.height / r.height;
    const [la, lo] = proj.toLatLon(x, y);
    lat.value = la.toFixed(6);
    lon.value = lo.toFixed(6);
    showMark();
  });
  clear?.addEventListener('click', (ev) => {
    ev.preventDefault();
    lat.value = '';
    lon.value = '';
    showMark();
  });
  select.addEventListener('change', highlight);
  highlight();
  showMark();
  box.hidden = false;
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
