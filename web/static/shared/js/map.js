// @ts-check
// Maps drawn as SVG in an equirectangular projection, without tiles: the office network may
// have no internet. The dashboard's coverage map builds on Projection; pointMap shows a few
// places (search candidates, a tip's location) and lets a user pick one or a spot.

export const WIDTH = 1000; // projected units across the bounds
const NS = "http://www.w3.org/2000/svg";

// Projection is an equirectangular projection scaled to WIDTH units across the bounds.
export class Projection {
  /** @param {number[]} bounds [minLon, minLat, maxLon, maxLat] */
  constructor(bounds) {
    const [minLon, minLat, maxLon, maxLat] = bounds;
    this.k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
    this.minLon = minLon;
    this.maxLat = maxLat;
    this.s = WIDTH / Math.max(1e-9, (maxLon - minLon) * this.k);
    this.height = (maxLat - minLat) * this.s;
  }
  x(lon) { return (lon - this.minLon) * this.k * this.s; }
  y(lat) { return (this.maxLat - lat) * this.s; }
  lon(x) { return x / (this.k * this.s) + this.minLon; }
  lat(y) { return this.maxLat - y / this.s; }
}

// polygons lists the polygons of a GeoJSON geometry (rings of [lon, lat]).
export function polygons(geom) {
  if (!geom) return [];
  if (geom.type === "Polygon") return [geom.coordinates];
  if (geom.type === "MultiPolygon") return geom.coordinates;
  return [];
}

// boundsOf is the box [minLon, minLat, maxLon, maxLat] around the features' outer rings.
export function boundsOf(features) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of features) {
    for (const poly of polygons(f.geometry)) {
      for (const [lon, lat] of poly[0] || []) extend(b, lon, lat);
    }
  }
  return b;
}

/**
 * wideBounds is the box around the points widened to a landscape shape (width over height
 * about ratio), so that a map across the screen stays low and its numbered points readable.
 * @param {{lat: number, lon: number}[]} points
 * @param {number} ratio
 * @returns {number[] | undefined}
 */
export function wideBounds(points, ratio) {
  const ps = points.filter(p => Number.isFinite(p.lat) && Number.isFinite(p.lon) && (p.lat || p.lon));
  if (!ps.length) return undefined;
  let [minLon, minLat, maxLon, maxLat] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const p of ps) {
    minLon = Math.min(minLon, p.lon); maxLon = Math.max(maxLon, p.lon);
    minLat = Math.min(minLat, p.lat); maxLat = Math.max(maxLat, p.lat);
  }
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  let latSpan = Math.max(maxLat - minLat, 0.01);
  let lonSpan = Math.max(maxLon - minLon, 0.01);
  if (lonSpan * k < latSpan * ratio) lonSpan = (latSpan * ratio) / k;
  else latSpan = (lonSpan * k) / ratio;
  const midLon = (minLon + maxLon) / 2, midLat = (minLat + maxLat) / 2;
  return [midLon - lonSpan / 2, midLat - latSpan / 2, midLon + lonSpan / 2, midLat + latSpan / 2];
}

function extend(b, lon, lat) {
  if (lon < b[0]) b[0] = lon;
  if (lat < b[1]) b[1] = lat;
  if (lon > b[2]) b[2] = lon;
  if (lat > b[3]) b[3] = lat;
}

function svg(name, attrs) {
  const el = document.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  return el;
}

/**
 * @typedef {{id: string, lat: number, lon: number, label?: string, title?: string, colour?: string}} MapPoint
 * @typedef {object} PointMapOptions
 * @property {any[]} [outline] GeoJSON features drawn grey under the points (communes)
 * @property {number[]} [bounds] the box to show; default: around the outline and points
 * @property {string} [selected] the id of the highlighted point
 * @property {(p: MapPoint) => void} [onSelect] a point was clicked (or Enter on it)
 * @property {(lat: number, lon: number) => void} [onPick] the map was clicked elsewhere: a spot was picked
 * @property {{lat: number, lon: number} | null} [picked] the picked spot, drawn as a cross
 * @property {string} [label] what the map shows, for screen readers
 */

/**
 * pointMap draws points (numbered by their label) into el and answers a handle to redraw.
 * @param {HTMLElement} el
 * @param {MapPoint[]} points
 * @param {PointMapOptions} [opts]
 */
export function pointMap(el, points, opts = {}) {
  let state = { points: points.filter(p => Number.isFinite(p.lat) && Number.isFinite(p.lon)), ...opts };
  const draw = () => {
    const b = state.bounds ? [...state.bounds] : boundsOf(state.outline || []);
    for (const p of state.points) extend(b, p.lon, p.lat);
    if (state.picked) extend(b, state.picked.lon, state.picked.lat);
    if (!Number.isFinite(b[0])) b.splice(0, 4, 105.2, 9.0, 106.3, 10.4); // Can Tho when nothing is known
    const padLon = Math.max(0.005, (b[2] - b[0]) * 0.08), padLat = Math.max(0.005, (b[3] - b[1]) * 0.08);
    const proj = new Projection([b[0] - padLon, b[1] - padLat, b[2] + padLon, b[3] + padLat]);
    const h = Math.max(200, proj.height);
    const root = svg("svg", { viewBox: `0 0 ${WIDTH} ${h.toFixed(0)}`, class: "point-map", role: "img" });
    if (state.label) root.setAttribute("aria-label", state.label);
    root.append(svg("rect", { x: 0, y: 0, width: WIDTH, height: h.toFixed(0), class: "pm-bg" }));
    for (const f of state.outline || []) {
      let d = "";
      for (const poly of polygons(f.geometry)) {
        for (const ring of poly) d += "M" + ring.map(([lon, lat]) => proj.x(lon).toFixed(1) + "," + proj.y(lat).toFixed(1)).join("L") + "Z";
      }
      if (d) root.append(svg("path", { d, class: "pm-area" }));
    }
    if (state.picked) {
      const x = proj.x(state.picked.lon), y = proj.y(state.picked.lat);
      const g = svg("g", { class: "pm-picked" });
      g.append(svg("path", { d: `M${x - 14},${y}L${x + 14},${y}M${x},${y - 14}L${x},${y + 14}` }), svg("circle", { cx: x, cy: y, r: 8 }));
      root.append(g);
    }
    state.points.forEach((p, i) => {
      const x = proj.x(p.lon), y = proj.y(p.lat);
      const g = svg("g", { class: "pm-point" + (p.id === state.selected ? " selected" : ""), tabindex: 0, role: "button", "data-id": p.id });
      const title = svg("title", {});
      title.textContent = p.title || p.label || String(i + 1);
      g.append(title, svg("circle", { cx: x, cy: y, r: 16, fill: p.colour || "#0b5cad" }));
      const t = svg("text", { x, y: y + 5, "text-anchor": "middle" });
      t.textContent = p.label ?? String(i + 1);
      g.append(t);
      const choose = (ev) => { ev.stopPropagation(); state.onSelect?.(p); };
      g.addEventListener("click", choose);
      g.addEventListener("keydown", ev => { if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); choose(ev); } });
      root.append(g);
    });
    if (state.onPick) {
      root.classList.add("pickable");
      root.addEventListener("click", ev => {
        const r = root.getBoundingClientRect();
        const x = ((ev.clientX - r.left) / r.width) * WIDTH, y = ((ev.clientY - r.top) / r.height) * h;
        const lat = Math.round(proj.lat(y) * 1e6) / 1e6, lon = Math.round(proj.lon(x) * 1e6) / 1e6;
        state = { ...state, picked: { lat, lon } };
        draw();
        state.onPick?.(lat, lon);
      });
    }
    el.replaceChildren(root);
  };
  draw();
  return {
    /** @param {MapPoint[]} pts @param {PointMapOptions} [o] */
    update(pts, o = {}) {
      state = { ...state, ...o, points: pts.filter(p => Number.isFinite(p.lat) && Number.isFinite(p.lon)) };
      draw();
    },
  };
}
