// @ts-check
// Positions and the route map: distances on the sphere, the phone's position, and the stops
// drawn as SVG without any map tiles (the app works with no network).

const R = 6371008.8;
const rad = (d) => (d * Math.PI) / 180;

export function distanceM(lat1, lon1, lat2, lon2) {
  const dLat = rad(lat2 - lat1);
  const dLon = rad(lon2 - lon1);
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(rad(lat1)) * Math.cos(rad(lat2)) * Math.sin(dLon / 2) ** 2;
  return 2 * R * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * radiusM is how far from the business a position with accuracy acc still counts as on site,
 * by the server's rule (the reference tables' on_site: the radius plus the accuracy, counted up
 * to a maximum); null without the rule.
 * @param {number} acc
 * @param {{radius_m: number, max_accuracy_m: number} | null} rule
 */
export function radiusM(acc, rule) {
  if (!rule) return null;
  return rule.radius_m + Math.min(acc, rule.max_accuracy_m);
}

/**
 * onSite tells whether a position d metres away with accuracy acc is at the business: true,
 * false, or null when the rule is not known yet (the phone then leaves the verdict to the
 * server).
 * @param {number} d
 * @param {number} acc
 * @param {{radius_m: number, max_accuracy_m: number} | null} rule
 */
export function onSite(d, acc, rule) {
  const r = radiusM(acc, rule);
  return r == null ? null : d <= r;
}

// locate asks for the phone's position; it rejects with the GeolocationPositionError code
// (1 denied, 2 unavailable, 3 timeout).
export function locate(precise = true) {
  return new Promise((resolve, reject) => {
    if (!navigator.geolocation) {
      reject({ code: 2 });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lat: p.coords.latitude, lon: p.coords.longitude, acc: p.coords.accuracy, at: p.timestamp }),
      (e) => reject({ code: e.code }),
      precise ? { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 } : { enableHighAccuracy: false, timeout: 15000, maximumAge: 120000 },
    );
  });
}

const NS = 'http://www.w3.org/2000/svg';
function el(name, attrs, text) {
  const e = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text != null) e.textContent = text;
  return e;
}

// routeMap draws the stops in order, numbered, with the phone's position when it is near.
// stops: [{lat, lon, n, href, state, label}]; here: {lat, lon} or null.
export function routeMap(stops, here, labels) {
  const W = 360;
  const pts = stops.filter((s) => isFinite(s.lat) && isFinite(s.lon));
  const withHere = here && pts.length && pts.some((s) => distanceM(s.lat, s.lon, here.lat, here.lon) < 30000);
  const all = withHere ? [...pts, here] : pts;
  const svg = el('svg', { viewBox: `0 0 ${W} ${W}`, role: 'img', 'aria-label': labels.title, class: 'map' });
  if (!all.length) return svg;
  const lat0 = all.reduce((s, p) => s + p.lat, 0) / all.length;
  const k = Math.cos(rad(lat0));
  const xs = all.map((p) => p.lon * k);
  const ys = all.map((p) => -p.lat);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const span = Math.max(x1 - x0, y1 - y0, 0.004); // at least ~400 m across
  const cx = (x0 + x1) / 2;
  const cy = (y0 + y1) / 2;
  const pad = 28;
  const scale = (W - 2 * pad) / span;
  const H = Math.max(200, Math.min(W, Math.round((y1 - y0) * scale + 2 * pad)));
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  const px = (p) => [W / 2 + (p.lon * k - cx) * scale, H / 2 + (-p.lat - cy) * scale];

  svg.append(el('rect', { x: 0, y: 0, width: W, height: H, class: 'map-bg' }));
  // A scale bar: the round distance nearest a quarter of the width.
  const mPerPx = (span / (W - 2 * pad)) * (Math.PI / 180) * R;
  const target = (W / 4) * mPerPx;
  const step = [100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000].find((s) => s >= target) || 50000;
  const len = step / mPerPx;
  svg.append(el('path', { d: `M12 ${H - 12}h${len.toFixed(1)}`, class: 'map-scale' }));
  svg.append(el('text', { x: 12, y: H - 18, class: 'map-scale-text' }, step >= 1000 ? `${step / 1000} km` : `${step} m`));

  const line = pts.map((p) => px(p).map((v) => v.toFixed(1)).join(',')).join(' ');
  svg.append(el('polyline', { points: line, class: 'map-route' }));
  if (withHere) {
    const [hx, hy] = px(here);
    svg.append(el('circle', { cx: hx, cy: hy, r: 14, class: 'map-here-halo' }));
    const me = el('circle', { cx: hx, cy: hy, r: 7, class: 'map-here' });
    me.append(el('title', {}, labels.here));
    svg.append(me);
  }
  // Stops close together are spread apart so that each stays readable and tappable; a thin
  // line joins a moved marker to its place.
  const at = pts.map(px);
  const shown = spread(at, 17, W, H);
  for (let i = pts.length - 1; i >= 0; i--) {
    const [x0, y0] = at[i];
    const [x, y] = shown[i];
    if (Math.hypot(x - x0, y - y0) > 4) {
      svg.append(el('path', { d: `M${x0.toFixed(1)} ${y0.toFixed(1)}L${x.toFixed(1)} ${y.toFixed(1)}`, class: 'map-leader' }));
      svg.append(el('circle', { cx: x0, cy: y0, r: 3, class: 'map-dot' }));
    }
  }
  // Later stops first, so that the first ones are on top where they still touch.
  for (let i = pts.length - 1; i >= 0; i--) {
    const s = pts[i];
    const [x, y] = shown[i];
    const a = el('a', { href: s.href, class: `map-stop ${s.state}`, 'aria-label': `${s.n}. ${s.label}` });
    a.append(el('circle', { cx: x, cy: y, r: 16 }));
    a.append(el('text', { x, y: y + 6, 'text-anchor': 'middle' }, String(s.n)));
    svg.append(a);
  }
  return svg;
}

// spread moves markers of radius r apart until none overlaps (or it gives up), each pulled
// gently back to its true place, inside the W x H frame.
function spread(points, r, W, H) {
  const q = points.map(([x, y]) => [x, y]);
  const min = 2 * r + 2;
  for (let round = 0; round < 120; round++) {
    let moved = false;
    for (let i = 0; i < q.length; i++) {
      for (let j = i + 1; j < q.length; j++) {
        let dx = q[j][0] - q[i][0];
        let dy = q[j][1] - q[i][1];
        let d = Math.hypot(dx, dy);
        if (d >= min) continue;
        if (d < 0.01) { dx = Math.cos(i + j); dy = Math.sin(i + j); d = 1; } // same place: any direction
        const push = (min - d) / 2 + 0.5;
        q[i][0] -= (dx / d) * push; q[i][1] -= (dy / d) * push;
        q[j][0] += (dx / d) * push; q[j][1] += (dy / d) * push;
        moved = true;
      }
    }
    for (let i = 0; i < q.length; i++) {
      q[i][0] = Math.min(W - r, Math.max(r, q[i][0] + (points[i][0] - q[i][0]) * 0.02));
      q[i][1] = Math.min(H - r, Math.max(r, q[i][1] + (points[i][1] - q[i][1]) * 0.02));
    }
    if (!moved) break;
  }
  return q;
}
