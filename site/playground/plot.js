// The live plot behind the playground's `plot(value, name)`: points appended one at a time, drawn as
// an SVG line chart that is redrawn at most once per animation frame (so a training loop that awaits
// tick() shows its loss falling as it runs).
/* global document, requestAnimationFrame */
import { short } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 170;
const PAD = { left: 62, right: 12, top: 22, bottom: 22 };
const MAX_DRAWN = 1200;
const COLORS = ['#1a73e8', '#d93025', '#188038', '#e37400', '#9334e6', '#007b83'];

export class LivePlot {
  /** @param {() => HTMLElement} makeSlot gives the element to draw into, on the first point */
  constructor(makeSlot) {
    this.makeSlot = makeSlot;
    this.slot = null;
    /** @type {Map<string, number[]>} */
    this.series = new Map();
    this.scheduled = false;
  }

  /**
   * Appends a point to a series (its x is the point's index in that series).
   * @param {number} y
   * @param {string} name
   */
  add(y, name) {
    let points = this.series.get(name);
    if (points === undefined) this.series.set(name, (points = []));
    points.push(y);
    if (this.slot === null) this.slot = this.makeSlot();
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => this.flush());
    }
  }

  /** Draws now (the end of a run draws the last points even if no frame came since). */
  flush() {
    this.scheduled = false;
    if (this.slot !== null) this.slot.replaceChildren(this.draw());
  }

  /** @private */
  draw() {
    const width = Math.max(240, Math.round(this.slot.clientWidth || 480));
    const svg = el('svg', { width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`, class: 'plot', role: 'img' });
    svg.setAttribute('aria-label', `plot of ${[...this.series.keys()].join(', ')}`);
    let lo = Infinity;
    let hi = -Infinity;
    let n = 0;
    for (const points of this.series.values()) {
      n = Math.max(n, points.length);
      for (const v of points) {
        if (!Number.isFinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (lo > hi) return svg; // no finite point yet
    // a loss that falls by orders of magnitude reads better on a log scale
    const log = lo > 0 && hi / lo > 100;
    const f = log ? Math.log10 : (v) => v;
    let flo = f(lo);
    let fhi = f(hi);
    if (fhi - flo < 1e-12) {
      flo -= 0.5;
      fhi += 0.5;
    }
    const x0 = PAD.left;
    const x1 = width - PAD.right;
    const y0 = HEIGHT - PAD.bottom;
    const y1 = PAD.top;
    const sx = (i) => x0 + (n > 1 ? (i / (n - 1)) * (x1 - x0) : 0);
    const sy = (v) => y0 - ((f(v) - flo) / (fhi - flo)) * (y0 - y1);
    svg.append(el('rect', { x: x0, y: y1, width: x1 - x0, height: y0 - y1, class: 'plot-frame' }));
    if (!log && lo < 0 && hi > 0) {
      svg.append(el('line', { x1: x0, x2: x1, y1: sy(0), y2: sy(0), class: 'plot-zero' }));
      svg.append(text('0', x0 - 6, sy(0) + 4, 'end'));
    }
    for (const v of [lo, hi]) {
      svg.append(el('line', { x1: x0 - 4, x2: x0, y1: sy(v), y2: sy(v), class: 'plot-tick' }));
      svg.append(text(short(v, 3), x0 - 6, sy(v) + 4, 'end'));
    }
    svg.append(text('0', x0, HEIGHT - 6, 'start'));
    svg.append(text(String(n - 1), x1, HEIGHT - 6, 'end'));
    if (log) svg.append(text('log scale', x1, y1 - 8, 'end'));
    let k = 0;
    let legendX = x0;
    for (const [name, points] of this.series) {
      const color = COLORS[k++ % COLORS.length];
      const step = Math.max(1, Math.ceil(points.length / MAX_DRAWN));
      let d = '';
      for (let i = 0; i < points.length; i += step) {
        const v = points[i];
        if (!Number.isFinite(v)) continue;
        d += `${d === '' ? 'M' : 'L'}${sx(i).toFixed(1)},${sy(v).toFixed(1)}`;
      }
      const last = points[points.length - 1];
      if (Number.isFinite(last))
        d += `${d === '' ? 'M' : 'L'}${sx(points.length - 1).toFixed(1)},${sy(last).toFixed(1)}`;
      svg.append(el('path', { d, stroke: color, class: 'plot-line' }));
      const label = text(`${name} ${short(last)}`, legendX, y1 - 8, 'start', 'plot-legend');
      label.setAttribute('fill', color);
      svg.append(label);
      legendX += 14 + 7 * (name.length + short(last).length + 1);
    }
    return svg;
  }
}

function el(name, attrs) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function text(content, x, y, anchor, cls = 'plot-text') {
  const t = el('text', { x, y, 'text-anchor': anchor, class: cls });
  t.textContent = content;
  return t;
}
