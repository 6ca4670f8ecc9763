// The #tape panel: which captured gradient() call to draw (the last by default), the zoom, the
// picture itself and the notes under it (null-gradient explanations, nodes left out).
/* global document */
import { MAX_NODES, describeGraph, drawGraph } from './tape-view.js';

export class TapePanel {
  /**
   * @param {{ pick: HTMLSelectElement, zoom: HTMLSelectElement, canvas: HTMLElement, notes: HTMLElement }} elements
   * @param {object} dagre the layout library (global `dagre` of dagre.min.js)
   */
  constructor(elements, dagre) {
    this.el = elements;
    this.dagre = dagre;
    this.captures = [];
    elements.pick.addEventListener('change', () => this.draw());
    elements.zoom.addEventListener('change', () => this.applyZoom());
    this.message('Run a program: the tape of its last gradient() call is drawn here.');
  }

  /**
   * Shows a run's captures (the last one drawn).
   * @param {{ captures: import('./runner.js').Capture[], total: number, hooked: boolean }} run
   */
  show(run) {
    this.captures = run.captures;
    const { pick } = this.el;
    pick.replaceChildren();
    pick.disabled = run.captures.length < 2;
    for (const c of run.captures) {
      const ops = c.graph.nodes.filter((n) => n.kind === 'op').length;
      const targets = c.graph.nodes.filter((n) => n.target).map((n) => n.label);
      const option = document.createElement('option');
      option.value = String(c.index);
      option.textContent = `#${c.index} of ${run.total}: ${ops} op${ops === 1 ? '' : 's'}, target ${targets.join(' + ') || '—'}${c.explanations.length ? ' (null gradient)' : ''}`;
      pick.append(option);
    }
    if (!run.hooked) {
      this.message('This build of tapegrad has no tg.debugging.onGradient, so the tape cannot be drawn.');
    } else if (run.captures.length === 0) {
      this.message('This run made no tape.gradient() call, so there is no tape to draw.');
    } else {
      pick.value = String(run.captures[run.captures.length - 1].index);
      this.draw();
    }
    if (run.total > run.captures.length) {
      this.el.notes.prepend(
        note(`The run made ${run.total} gradient() calls; the last ${run.captures.length} can be picked.`),
      );
    }
  }

  /** Empties the panel, with a message where the picture goes. */
  message(text) {
    const p = document.createElement('p');
    p.className = 'tape-empty';
    p.textContent = text;
    this.el.canvas.replaceChildren(p);
    this.el.notes.replaceChildren();
  }

  /** Draws the capture the picker names. */
  draw() {
    const capture = this.captures.find((c) => String(c.index) === this.el.pick.value);
    if (capture === undefined) return;
    const described = describeGraph(capture.graph);
    this.el.canvas.replaceChildren(drawGraph(described, this.dagre));
    const notes = [];
    if (described.hidden > 0) {
      notes.push(
        note(
          `${capture.graph.nodes.length} nodes: the ${MAX_NODES} nearest the target are drawn, ${described.hidden} left out.`,
        ),
      );
    }
    for (const text of capture.explanations) {
      const pre = document.createElement('pre');
      pre.className = 'tape-explain';
      pre.textContent = text;
      notes.push(pre);
    }
    this.el.notes.replaceChildren(...notes);
    this.applyZoom();
  }

  /** Fit: the natural size, shrunk to the panel's width but not below 75% (then it scrolls); or a fixed scale. */
  applyZoom() {
    const svg = this.el.canvas.querySelector('svg');
    if (svg === null) return;
    const width = Number(svg.dataset.width);
    const height = Number(svg.dataset.height);
    const choice = this.el.zoom.value;
    const room = this.el.canvas.clientWidth - 2;
    const scale = choice === 'fit' ? Math.max(0.75, Math.min(1, room / width)) : Number(choice) / 100;
    svg.setAttribute('width', String(Math.round(width * scale)));
    svg.setAttribute('height', String(Math.round(height * scale)));
    // a picture wider than the panel starts scrolled to its middle, where the ops are
    const canvas = this.el.canvas;
    canvas.scrollLeft = Math.max(0, (canvas.scrollWidth - canvas.clientWidth) / 2);
  }
}

function note(text) {
  const p = document.createElement('p');
  p.className = 'tape-note';
  p.textContent = text;
  return p;
}
