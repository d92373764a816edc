// @ts-check
// The coverage map: area polygons and business points drawn as SVG in an equirectangular
// projection fitted to the jurisdiction, units coloured by programme coverage or by the year's
// progress, with labels where they fit. It draws the units of two levels (the data's): the top
// one below the jurisdiction and the lowest, which may be the same. No tiles unless the server (KIEMTRA_TILE_URL) or
// config.js names a tile server.

import { esc } from "../../shared/js/dom.js";
import { Projection, WIDTH, boundsOf, polygons } from "../../shared/js/map.js";

// Fill colours from "little done" (pale yellow) to "done" (mid blue), and grey for no
// businesses. The darkest stays light enough for black labels and coloured points on top.
export const RAMP = ["#fff8d2", "#e1f2b4", "#b3dfb6", "#7ecbbd", "#4fb0cf", "#3b8fd0"];
export const EMPTY_FILL = "#e3e5e8";

// STATUS_COLOURS colour the business points.
export const STATUS_COLOURS = {
  never_inspected: "#d7191c",
  overdue: "#ff7b00",
  newly_opened: "#8e5fbf",
  inspected_this_year: "#0a6b34",
  covered_in_programme: "#ffffff",
  closed: "#8a8a8a",
};
export const STATUS_ORDER = ["never_inspected", "overdue", "newly_opened", "inspected_this_year", "covered_in_programme", "closed"];

// bins returns the colour classes of a metric: [lower bound, label ratio] pairs.
export function bins(metric, minShare) {
  if (metric === "progress") {
    const t = minShare || 0.2;
    return [0, t / 4, t / 2, (3 * t) / 4, t].map((lo, i, a) => ({ lo, hi: i + 1 < a.length ? a[i + 1] : Infinity }));
  }
  return [0, 0.2, 0.4, 0.6, 0.8, 1].map((lo, i, a) => ({ lo, hi: i + 1 < a.length ? a[i + 1] : Infinity }));
}

// binIndex is the colour class of a figure.
export function binIndex(value, metric, minShare) {
  const b = bins(metric, minShare);
  for (let i = b.length - 1; i >= 0; i--) if (value >= b[i].lo - 1e-9) return i;
  return 0;
}

// colourFor picks the fill of a figure; the progress ramp (five classes) skips a middle shade
// so that "met" is the darkest in both modes.
export function colourFor(value, metric, minShare) {
  const i = binIndex(value, metric, minShare);
  return metric === "progress" ? [RAMP[0], RAMP[1], RAMP[2], RAMP[4], RAMP[5]][i] : RAMP[i];
}

// metricValue is the figure a map colours an area by.
export function metricValue(props, metric) {
  return metric === "progress" ? props.share : props.coverage;
}

// hasBusinesses says whether an area has anything to measure.
function hasBusinesses(p) { return (p.eligible || 0) + (p.open_at_start || 0) + (p.in_scope || 0) > 0; }

// Shape is an area projected once: its SVG path, box and the best place for a label.
class Shape {
  constructor(feature, proj) {
    this.code = String(feature.id ?? feature.properties.area_code);
    this.props = feature.properties;
    const rings = [];
    let d = "";
    const bx = [Infinity, Infinity, -Infinity, -Infinity];
    let biggest = null, biggestArea = -1;
    for (const poly of polygons(feature.geometry)) {
      const projected = poly.map(ring => ring.map(([lon, lat]) => [proj.x(lon), proj.y(lat)]));
      for (const ring of projected) {
        rings.push(ring);
        d += "M" + ring.map(([x, y]) => x.toFixed(1) + "," + y.toFixed(1)).join("L") + "Z";
        for (const [x, y] of ring) {
          if (x < bx[0]) bx[0] = x;
          if (y < bx[1]) bx[1] = y;
          if (x > bx[2]) bx[2] = x;
          if (y > bx[3]) bx[3] = y;
        }
      }
      const a = Math.abs(ringArea(projected[0]));
      if (a > biggestArea) { biggestArea = a; biggest = projected; }
    }
    this.d = d;
    this.box = bx;
    this.label = biggest ? labelSpot(biggest) : null;
  }
}

function ringArea(ring) {
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) a += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return a / 2;
}

// labelSpot finds the widest horizontal run inside a polygon (outer ring minus holes) over a few
// scan lines: its middle is where a label reads best, its width how long the label may be.
function labelSpot(poly) {
  const outer = poly[0];
  let minY = Infinity, maxY = -Infinity;
  for (const [, y] of outer) { minY = Math.min(minY, y); maxY = Math.max(maxY, y); }
  let best = null;
  const lines = 9;
  for (let i = 1; i <= lines; i++) {
    const y = minY + ((maxY - minY) * i) / (lines + 1) + 1e-3;
    const xs = [];
    for (const ring of poly) {
      for (let a = 0, b = ring.length - 1; a < ring.length; b = a++) {
        const [x1, y1] = ring[b], [x2, y2] = ring[a];
        if ((y1 > y) !== (y2 > y)) xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
      }
    }
    xs.sort((p, q) => p - q);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const w = xs[k + 1] - xs[k];
      // Prefer runs near the middle height: they leave room above and below.
      const centrality = 1 - Math.abs(i - (lines + 1) / 2) / (lines + 1);
      const score = w * (0.6 + 0.4 * centrality);
      if (!best || score > best.score) best = { x: (xs[k] + xs[k + 1]) / 2, y, w, h: maxY - minY, score };
    }
  }
  return best;
}

// shortName drops the unit's type from its name for a map label: its type_name, from the data.
export function shortName(name, typeName) {
  const n = String(name || ""), prefix = typeName ? typeName + " " : "";
  return prefix && n.startsWith(prefix) ? n.slice(prefix.length) : n;
}

export class CoverageMap {
  constructor(svg, opts) {
    this.svg = svg;
    this.i18n = opts.i18n;
    this.onSelectArea = opts.onSelectArea;
    this.onSelectBusiness = opts.onSelectBusiness;
    this.tileUrl = opts.tileUrl || "";
    this.leaf = []; // the lowest level's shapes
    this.top = []; // the top level's (the same when there is one level)
    this.points = [];
    this.view = { level: "", metric: "coverage", showPoints: true, selected: "", minShare: 0.2, picked: "" };
    this.svg.addEventListener("click", e => this.click(e));
    this.svg.addEventListener("keydown", e => this.key(e));
    let pending = false;
    this.resizer = new ResizeObserver(() => {
      if (pending || !this.proj) return;
      pending = true;
      requestAnimationFrame(() => { pending = false; this.render(); });
    });
    this.resizer.observe(this.svg);
  }

  // setData takes the FeatureCollections of the top and the lowest level (the same one when
  // there is one level) and the businesses; parentOf maps a unit to the unit above it.
  setData({ top, leaf, points, parentOf, rootCode, topLevel, leafLevel }) {
    const leafAreas = leaf.features.filter(f => f.properties.kind === "area");
    const topAreas = top ? top.features.filter(f => f.properties.kind === "area") : [];
    this.points = points || [];
    this.topLevel = topLevel;
    this.leafLevel = leafLevel;
    // The projection is fitted once to the whole jurisdiction, so that shapes keep their place.
    const b = boundsOf(leafAreas.length ? leafAreas : topAreas);
    if (!this.proj || !this.sameBounds(b)) {
      this.proj = new Projection(b);
      this.bounds = b;
    }
    this.leaf = leafAreas.map(f => new Shape(f, this.proj));
    this.top = top === leaf ? this.leaf : topAreas.map(f => new Shape(f, this.proj));
    this.parentOf = parentOf;
    this.rootCode = rootCode;
    this.byCode = new Map();
    for (const s of this.leaf) this.byCode.set(s.code, s);
    for (const s of this.top) this.byCode.set(s.code, s);
    this.pointXY = this.points.map(f => [this.proj.x(f.geometry.coordinates[0]), this.proj.y(f.geometry.coordinates[1])]);
  }

  sameBounds(b) { return this.bounds && b.every((v, i) => Math.abs(v - this.bounds[i]) < 1e-9); }

  // setTiles sets the base map's tile template ("" for none).
  setTiles(url) { this.tileUrl = url || ""; }

  setView(v) { Object.assign(this.view, v); }

  // drawnLevel is the level of the polygons on the map: the lowest when asked for or when zoomed
  // in, else the top one.
  drawnLevel() {
    const sel = this.view.selected;
    if (this.view.level === this.leafLevel || (sel && sel !== this.rootCode) || !this.top.length) return this.leafLevel;
    return this.topLevel;
  }

  shapesOf(level) { return level === this.leafLevel ? this.leaf : this.top; }

  // inSelection says whether a unit lies in the selected area.
  inSelection(code, sel) {
    if (!sel || sel === this.rootCode) return true;
    for (let c = code; c; c = this.parentOf.get(c)) if (c === sel) return true;
    return false;
  }

  viewBox() {
    const sel = this.view.selected;
    let box = [0, 0, WIDTH, this.proj.height];
    const shape = sel && sel !== this.rootCode ? this.byCode.get(sel) : null;
    if (shape) box = shape.box.slice();
    let w = box[2] - box[0], h = box[3] - box[1];
    const pad = Math.max(w, h) * 0.04;
    box = [box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad];
    w += 2 * pad;
    h += 2 * pad;
    const cw = this.svg.clientWidth || 800, ch = this.svg.clientHeight || 600;
    const scale = Math.min(cw / w, ch / h);
    const vw = cw / scale, vh = ch / scale;
    const cx = (box[0] + box[2]) / 2, cy = (box[1] + box[3]) / 2;
    return { x: cx - vw / 2, y: cy - vh / 2, w: vw, h: vh, scale };
  }

  render() {
    if (!this.proj) return;
    const t = this.i18n;
    const { metric, showPoints, selected, minShare } = this.view;
    const level = this.drawnLevel();
    const vb = this.viewBox();
    const px = 1 / vb.scale; // one screen pixel in projected units
    const shapes = this.shapesOf(level);
    const nested = this.top !== this.leaf;
    const zoomed = selected && selected !== this.rootCode;
    let html = "";
    if (this.tileUrl) html += this.tiles(vb);
    html += `<g class="areas">`;
    for (const s of shapes) {
      const p = s.props;
      const inSel = level !== this.leafLevel || this.inSelection(s.code, selected);
      const empty = !hasBusinesses(p);
      const v = metricValue(p, metric);
      const fill = empty ? EMPTY_FILL : colourFor(v, metric, minShare);
      const cov = (p.coverage * 100).toFixed(1).replace(/\.0$/, "");
      const prog = (p.share * 100).toFixed(1).replace(/\.0$/, "");
      // Each share with the counts it divides, under the measures' names.
      const title = [p.name,
        `${t.measure("coverage")}: ${t.pct(p.coverage)} (${t.num(p.covered)}/${t.num(p.eligible)})`,
        `${t.measure("share")}: ${t.pct(p.share)} (${t.num(p.inspected_open_at_start)}/${t.num(p.open_at_start)}; ${t.t("target")} ${t.pct(minShare, 0)})`,
        `${t.measure("never_inspected")}: ${t.num(p.never_inspected)}`].join("\n");
      const cls = ["area", inSel ? "" : "context", s.code === selected ? "selected" : "", empty ? "empty" : ""].filter(Boolean).join(" ");
      const label = `${p.name}: ${metric === "progress" ? t.t("byProgress") : t.t("byCoverage")} ${t.pct(v)}`;
      html += `<path class="${cls}" d="${s.d}" fill="${fill}" data-code="${esc(s.code)}" data-level="${esc(p.level)}"` +
        ` data-coverage="${cov}" data-progress="${prog}" data-target-progress="${(p.target_progress * 100).toFixed(1)}"` +
        ` data-on-track="${p.on_track}" tabindex="${inSel ? 0 : -1}" role="button" aria-label="${esc(label)}">` +
        `<title>${esc(title)}</title></path>`;
    }
    html += `</g>`;
    if (level === this.leafLevel && nested && this.top.length) {
      html += `<g class="outlines" aria-hidden="true">`;
      for (const s of this.top) html += `<path d="${s.d}"/>`;
      html += `</g>`;
    }
    if (zoomed && this.byCode.get(selected)) html += `<path class="selection" aria-hidden="true" d="${this.byCode.get(selected).d}"/>`;
    if (showPoints) html += this.pointsLayer(vb, px, zoomed ? selected : "");
    html += this.labelsLayer(shapes, vb, px, level);
    this.svg.setAttribute("viewBox", `${vb.x.toFixed(2)} ${vb.y.toFixed(2)} ${vb.w.toFixed(2)} ${vb.h.toFixed(2)}`);
    this.svg.innerHTML = html;
    this.svg.dataset.level = level;
    this.svg.dataset.metric = metric;
    this.svg.dataset.selected = selected || "";
  }

  pointsLayer(vb, px, selected) {
    const t = this.i18n;
    const r = (selected ? 5 : 3.4) * px;
    let html = `<g class="points" stroke-width="${(1.1 * px).toFixed(3)}">`;
    // Never-inspected businesses are drawn last so that they stay on top.
    const picked = this.view.picked;
    const order = this.points.map((_, i) => i).sort((a, b) => rank(this.points[a], picked) - rank(this.points[b], picked));
    for (const i of order) {
      const f = this.points[i];
      const p = f.properties;
      const [x, y] = this.pointXY[i];
      if (x < vb.x || x > vb.x + vb.w || y < vb.y || y > vb.y + vb.h) continue;
      const inside = this.inSelection(p.area_code, selected);
      const focus = inside && selected && selected !== this.rootCode && this.byCode.get(selected)?.props.level === this.leafLevel;
      const label = `${p.name} · ${t.category(p.category, true)} · ${t.status(p.status)}`;
      const isPicked = picked && String(f.id) === picked;
      const rr = isPicked ? r * 1.8 : p.status === "closed" ? r * 0.75 : r;
      html += `<circle cx="${x.toFixed(1)}" cy="${y.toFixed(1)}" r="${rr.toFixed(3)}" class="pt ${p.status}${isPicked ? " picked" : ""}${inside ? "" : " context"}" fill="${STATUS_COLOURS[p.status] || "#444"}"` +
        ` data-id="${esc(String(f.id))}" data-status="${p.status}" data-area="${esc(p.area_code)}"${focus ? ` tabindex="0" role="button" aria-label="${esc(label)}"` : ""}>` +
        `<title>${esc(label)}</title></circle>`;
    }
    return html + `</g>`;
  }

  labelsLayer(shapes, vb, px, level) {
    const t = this.i18n;
    const { metric, selected } = this.view;
    const fontPx = level === this.topLevel && this.top !== this.leaf ? 13 : 11.5;
    const fs = fontPx * px;
    let html = `<g class="labels" aria-hidden="true" font-size="${fs.toFixed(3)}" stroke-width="${(3 * px).toFixed(3)}">`;
    for (const s of shapes) {
      const spot = s.label;
      if (!spot) continue;
      if (level === this.leafLevel && !this.inSelection(s.code, selected)) continue;
      const p = s.props;
      if (!hasBusinesses(p)) continue;
      const figure = t.pct(metricValue(p, metric), metric === "progress" ? 1 : 0);
      const name = shortName(p.name, p.type_name);
      const wPx = spot.w / px, hPx = spot.h / px;
      // Estimated text widths in pixels at the font size (Vietnamese text runs about 0.56 em a letter).
      const nameW = name.length * fontPx * 0.56, figW = figure.length * fontPx * 0.58;
      if (wPx >= Math.max(nameW, figW) + 6 && hPx >= fontPx * 2.6) {
        html += `<text x="${spot.x.toFixed(1)}" y="${spot.y.toFixed(1)}"><tspan x="${spot.x.toFixed(1)}" dy="-0.25em">${esc(name)}</tspan>` +
          `<tspan x="${spot.x.toFixed(1)}" dy="1.15em" class="fig">${esc(figure)}</tspan></text>`;
      } else if (wPx >= figW + 4 && hPx >= fontPx * 1.3) {
        html += `<text x="${spot.x.toFixed(1)}" y="${spot.y.toFixed(1)}" dy="0.35em" class="fig">${esc(figure)}</text>`;
      }
    }
    return html + `</g>`;
  }

  // tiles draws base-map tiles (Web Mercator) under the areas, placed with the same projection.
  tiles(vb) {
    const lonPerUnit = 1 / (this.proj.k * this.proj.s);
    const lonPerPx = lonPerUnit / vb.scale;
    const z = Math.max(0, Math.min(19, Math.round(Math.log2(360 / (256 * lonPerPx)))));
    const n = 2 ** z;
    const lon2x = lon => Math.floor(((lon + 180) / 360) * n);
    const lat2y = lat => {
      const r = (lat * Math.PI) / 180;
      return Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
    };
    const x2lon = x => (x / n) * 360 - 180;
    const y2lat = y => (Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) * 180) / Math.PI;
    const west = this.proj.lon(vb.x), east = this.proj.lon(vb.x + vb.w);
    const north = this.proj.lat(vb.y), south = this.proj.lat(vb.y + vb.h);
    let html = `<g class="tiles" aria-hidden="true">`;
    for (let tx = lon2x(west); tx <= lon2x(east); tx++) {
      for (let ty = lat2y(north); ty <= lat2y(south); ty++) {
        const x1 = this.proj.x(x2lon(tx)), x2 = this.proj.x(x2lon(tx + 1));
        const y1 = this.proj.y(y2lat(ty)), y2 = this.proj.y(y2lat(ty + 1));
        const href = this.tileUrl.replace("{z}", z).replace("{x}", tx).replace("{y}", ty);
        html += `<image href="${esc(href)}" x="${x1.toFixed(2)}" y="${y1.toFixed(2)}" width="${(x2 - x1).toFixed(2)}" height="${(y2 - y1).toFixed(2)}" preserveAspectRatio="none"/>`;
      }
    }
    return html + `</g>`;
  }

  click(e) {
    const pt = e.target.closest("circle[data-id]");
    if (pt) {
      this.onSelectBusiness(pt.dataset.id, pt);
      return;
    }
    const area = e.target.closest("path[data-code]");
    if (area) this.onSelectArea(area.dataset.code);
  }

  key(e) {
    if (e.key !== "Enter" && e.key !== " ") return;
    const el = e.target;
    if (el.matches && (el.matches("circle[data-id]") || el.matches("path[data-code]"))) {
      e.preventDefault();
      this.click({ target: el });
    }
  }

  // focusArea puts the keyboard focus back on an area after a re-render.
  focusArea(code) {
    const el = this.svg.querySelector(`path[data-code="${CSS.escape(code)}"]`);
    if (el) el.focus({ preventScroll: true });
  }

  // counts tells how many drawn areas fall in each colour class and how many points have each status.
  counts() {
    const { metric, minShare, selected } = this.view;
    const level = this.drawnLevel();
    const shapes = this.shapesOf(level);
    const c = new Array(bins(metric, minShare).length).fill(0);
    let empty = 0;
    for (const s of shapes) {
      if (level === this.leafLevel && !this.inSelection(s.code, selected)) continue;
      if (!hasBusinesses(s.props)) { empty++; continue; }
      c[binIndex(metricValue(s.props, metric), metric, minShare)]++;
    }
    const st = {};
    for (const f of this.points) {
      const p = f.properties;
      if (!this.inSelection(p.area_code, selected)) continue;
      st[p.status] = (st[p.status] || 0) + 1;
    }
    return { bins: c, empty, statuses: st };
  }
}

// rank orders the points from bottom to top: the picked one, then the businesses that need a
// visit, stay visible.
function rank(f, picked) {
  if (picked && String(f.id) === picked) return 9;
  return { never_inspected: 5, overdue: 4, newly_opened: 3, inspected_this_year: 2, covered_in_programme: 1, closed: 0 }[f.properties.status] ?? 0;
}

