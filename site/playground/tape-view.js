// The tape picture (#tape): the graph of one tape.gradient() call — sources, constants and recorded
// ops, each with its shape, value and gradient — laid out by dagre and drawn as SVG.
/* global document, getComputedStyle */
import { preview, shapeText } from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
/** A graph with more nodes shows the ones nearest its targets. */
export const MAX_NODES = 150;
const FONT_SIZE = 11.5;
const LINE = 15;
const PAD_X = 8;
const PAD_Y = 6;
const FALLBACK_FONT = 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace';

/** The graph of a capture, ready to draw: shown nodes with their text lines and names. */
export function describeGraph(graph, maxNodes = MAX_NODES) {
  const { shown, hidden } = nearestToTargets(graph.nodes, maxNodes);
  const names = nodeNames(graph.nodes);
  const kept = new Set(shown.map((n) => n.id));
  const nodes = shown.map((n) => {
    // a watched tensor has no name of its own: x0, x1 … as tape.toString() and explain() call it
    const title = n.kind === 'source' && n.label === 'watched' ? `${names.get(n.id)} (watched)` : n.label;
    const lines = [shapeText(n.value), `= ${preview(n.value)}`];
    if (n.kind !== 'constant') lines.push(`∂ ${n.gradient === null ? 'null' : preview(n.gradient)}`);
    const missing = n.inputs.filter((i) => !kept.has(i)).length;
    if (missing > 0) lines.push(`+${missing} input${missing > 1 ? 's' : ''} not shown`);
    return { node: n, title, lines, name: names.get(n.id) };
  });
  return { nodes, hidden, names };
}

/**
 * At most `max` nodes: all of them if they fit, else those nearest the targets (breadth-first
 * back through the inputs), in the graph's order.
 */
function nearestToTargets(all, max) {
  if (all.length <= max) return { shown: all, hidden: 0 };
  const byId = new Map(all.map((n) => [n.id, n]));
  const queue = all.filter((n) => n.target).map((n) => n.id);
  if (queue.length === 0) queue.push(all[all.length - 1].id);
  const keep = new Set();
  for (let k = 0; k < queue.length && keep.size < max; k++) {
    const id = queue[k];
    if (keep.has(id) || !byId.has(id)) continue;
    keep.add(id);
    for (const input of byId.get(id).inputs) if (!keep.has(input)) queue.push(input);
  }
  return { shown: all.filter((n) => keep.has(n.id)), hidden: all.length - keep.size };
}

/** Names as `tape.toString()` gives them: variables by name, watched tensors x0…, results t1…, constants c1…. */
function nodeNames(all) {
  const names = new Map();
  let t = 0;
  let x = 0;
  let c = 0;
  for (const n of all) {
    if (n.kind === 'op') names.set(n.id, `t${++t}`);
    else if (n.kind === 'constant') names.set(n.id, `c${++c}`);
    else names.set(n.id, n.label === 'watched' ? `x${x++}` : n.label);
  }
  return names;
}

/**
 * Draws a described graph with dagre as an SVG element (natural size in its width/height).
 * @param {ReturnType<typeof describeGraph>} described
 * @param {{ graphlib: { Graph: new (options?: object) => object }, layout: (g: object) => void }} dagre
 * @returns {SVGSVGElement}
 */
export function drawGraph(described, dagre) {
  if (described.nodes.length === 0) return emptyPicture();
  const g = bestLayout(described, dagre);
  const { width, height } = g.graph();
  const svg = el('svg', {
    xmlns: SVG,
    class: 'tape-svg',
    viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`,
    width: Math.ceil(width),
    height: Math.ceil(height),
    role: 'img',
    'aria-label': `tape of a gradient() call: ${described.nodes.length} nodes`,
  });
  svg.dataset.width = String(Math.ceil(width));
  svg.dataset.height = String(Math.ceil(height));
  svg.append(defs());
  const edges = el('g', { class: 'edges' });
  for (const e of g.edges()) {
    const edge = g.edge(e);
    edges.append(el('path', { d: curve(edge.points), class: 'edge', 'marker-end': 'url(#tg-arrow)' }));
    if (edge.count > 1) edges.append(text(`×${edge.count}`, edge.x, edge.y + 4, 'edge-label', 'middle'));
  }
  svg.append(edges);
  const nodes = el('g', { class: 'nodes' });
  for (const id of g.nodes()) nodes.append(nodeBox(g.node(id), described.names));
  svg.append(nodes);
  return svg;
}

/** Wider than this, a layout is tried again with dagre's single alignments (see bestLayout). */
const WIDE = 1500;

/**
 * dagre's default layout, balanced between its four alignments, is the tidiest for most graphs but
 * drifts sideways along long chains whose ops each read a constant (a loop of `y = f(y, c)`): a
 * graph far wider than it needs. Then the narrowest of the up-left and down-left alignments is used.
 */
function bestLayout(described, dagre) {
  const measure = textMeasurer();
  const sizes = described.nodes.map((d) => {
    const titleWidth = measure(d.title, true) + (d.node.target ? measure('target', true) + 14 : 0);
    const width = Math.ceil(Math.max(titleWidth, ...d.lines.map((l) => measure(l, false)))) + 2 * PAD_X;
    return { width, height: (d.lines.length + 1) * LINE + 2 * PAD_Y };
  });
  let best = null;
  for (const align of [undefined, 'UL', 'DL']) {
    const g = layout(described, sizes, dagre, align);
    if (best === null || g.graph().width < best.graph().width) best = g;
    if (best.graph().width <= WIDE) break;
  }
  return best;
}

function layout(described, sizes, dagre, align) {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', align, nodesep: 16, ranksep: 30, edgesep: 8, marginx: 10, marginy: 10 });
  g.setDefaultEdgeLabel(() => ({}));
  described.nodes.forEach((d, i) => g.setNode(String(d.node.id), { ...sizes[i], d }));
  for (const d of described.nodes) {
    const counts = new Map();
    for (const input of d.node.inputs) if (g.hasNode(String(input))) counts.set(input, (counts.get(input) ?? 0) + 1);
    for (const [input, count] of counts) {
      // the same tensor twice (mul(x, x)) is one edge marked ×2
      const label = count > 1 ? { count, width: 22, height: 14, labelpos: 'r', labeloffset: 2 } : { count };
      g.setEdge(String(input), String(d.node.id), label);
    }
  }
  dagre.layout(g);
  return g;
}

/** The picture of a call whose targets no recorded op connects to its sources: every gradient null. */
function emptyPicture() {
  const svg = el('svg', { xmlns: SVG, class: 'tape-svg', viewBox: '0 0 420 44', width: 420, height: 44, role: 'img' });
  svg.dataset.width = '420';
  svg.dataset.height = '44';
  svg.append(text('No recorded op leads from the sources to the target:', 10, 18, 'node-more'));
  svg.append(text('every gradient of this call is null (see why below).', 10, 34, 'node-more'));
  return svg;
}

function nodeBox(box, names) {
  const { d } = box;
  const n = d.node;
  const x = box.x - box.width / 2;
  const y = box.y - box.height / 2;
  const group = el('g', { class: `node node-${n.kind}${n.target ? ' node-target' : ''}`, 'data-id': n.id });
  group.append(tooltip(n, names));
  group.append(el('rect', { x, y, width: box.width, height: box.height, rx: n.kind === 'op' ? 4 : 12 }));
  group.append(text(d.title, x + PAD_X, y + PAD_Y + LINE - 3, 'node-title'));
  if (n.target) group.append(text('target', x + box.width - PAD_X, y + PAD_Y + LINE - 3, 'node-badge', 'end'));
  d.lines.forEach((line, i) => {
    const cls = line.startsWith('∂') ? 'node-grad' : line.startsWith('+') ? 'node-more' : 'node-text';
    group.append(text(line, x + PAD_X, y + PAD_Y + (i + 2) * LINE - 3, cls));
  });
  return group;
}

/** The hover text: the node as tape.toString() would write it, with more of its values. */
function tooltip(n, names) {
  const name = names.get(n.id);
  const head =
    n.kind === 'op'
      ? `${name} = ${n.label}(${n.inputs.map((i) => names.get(i) ?? '?').join(', ')})`
      : `${name}: ${n.kind === 'constant' ? 'a constant an op read' : n.label === 'watched' ? 'a watched tensor (source)' : `variable '${n.label}' (source)`}`;
  const lines = [
    `${head}${n.target ? '  — target' : ''}`,
    `shape [${n.value.shape.join(',')}] ${n.value.dtype}`,
    `value ${preview(n.value, 12)}`,
  ];
  if (n.kind !== 'constant') lines.push(`gradient ${n.gradient === null ? 'null' : preview(n.gradient, 12)}`);
  const t = el('title', {});
  t.textContent = lines.join('\n');
  return t;
}

function defs() {
  const d = el('defs', {});
  const marker = el('marker', {
    id: 'tg-arrow',
    viewBox: '0 0 10 10',
    refX: 9,
    refY: 5,
    markerWidth: 7,
    markerHeight: 7,
    orient: 'auto-start-reverse',
  });
  marker.append(el('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrow' }));
  d.append(marker);
  return d;
}

/** A smooth path through dagre's edge points (straight ends, quadratic bends between). */
function curve(points) {
  if (points.length < 3) return `M${points.map((p) => `${p.x},${p.y}`).join(' L')}`;
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const p = points[i];
    const q = points[i + 1];
    d += ` Q${p.x},${p.y} ${(p.x + q.x) / 2},${(p.y + q.y) / 2}`;
  }
  const last = points[points.length - 1];
  return `${d} L${last.x},${last.y}`;
}

/** Text widths in the SVG's font, measured on a canvas (bold for titles). */
function textMeasurer() {
  const ctx = document.createElement('canvas').getContext('2d');
  const probe = document.querySelector('#tape') ?? document.body;
  const family = getComputedStyle(probe).getPropertyValue('--mono').trim() || FALLBACK_FONT;
  const fonts = [`${FONT_SIZE}px ${family}`, `bold ${FONT_SIZE}px ${family}`];
  return (s, bold) => {
    ctx.font = fonts[bold ? 1 : 0];
    return ctx.measureText(s).width;
  };
}

function el(name, attrs) {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function text(content, x, y, cls, anchor = 'start') {
  const t = el('text', { x, y, class: cls, 'text-anchor': anchor });
  t.textContent = content;
  return t;
}
