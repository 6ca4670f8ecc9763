// The output panel (#output): the lines a program prints, its errors in red and the explanations of
// null gradients, in the order they happened; and, below it (#plots), the live plots.
/* global document */

const MAX_LINES = 5000;

export class Output {
  /**
   * @param {HTMLElement} element where the text goes (#output)
   * @param {HTMLElement} plots where the plots go (#plots, hidden while empty)
   */
  constructor(element, plots) {
    this.element = element;
    this.plots = plots;
    this.lines = 0;
    this.truncated = false;
  }

  clear() {
    this.element.replaceChildren();
    this.plots.replaceChildren();
    this.plots.hidden = true;
    this.lines = 0;
    this.truncated = false;
  }

  /**
   * Appends one entry: `level` is `log`, `warn`, `error`, `explain` (a null gradient's explanation)
   * or `note` (the playground's own remarks, in grey).
   * @param {'log' | 'warn' | 'error' | 'explain' | 'note'} level
   * @param {string} text
   * @returns {HTMLElement | null} the entry, or null once the panel is full
   */
  write(level, text) {
    if (this.lines >= MAX_LINES) {
      if (!this.truncated) {
        this.truncated = true;
        this.append('note', `… output stopped after ${MAX_LINES} entries`);
      }
      return null;
    }
    this.lines++;
    return this.append(level, text);
  }

  /** @private */
  append(level, text) {
    const entry = document.createElement('div');
    entry.className = `out-${level}`;
    entry.textContent = text;
    const stick = this.atBottom();
    this.element.append(entry);
    if (stick) this.element.scrollTop = this.element.scrollHeight;
    return entry;
  }

  /**
   * A fresh container for a plot.
   * @returns {HTMLElement}
   */
  plotSlot() {
    const slot = document.createElement('div');
    slot.className = 'plot-slot';
    this.plots.append(slot);
    this.plots.hidden = false;
    return slot;
  }

  /** Scrolls to the end if the reader was already there (so reading older lines is not disturbed). */
  atBottom() {
    const e = this.element;
    return e.scrollHeight - e.scrollTop - e.clientHeight < 24;
  }

  /** The panel's whole text (for tests and copying). */
  text() {
    return this.element.innerText;
  }
}
