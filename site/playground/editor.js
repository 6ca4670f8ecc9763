// The editor's keys: Ctrl/Cmd+Enter runs, Tab indents (Shift+Tab dedents) the line or the selected
// lines, and Escape then Tab moves the focus on, so the editor is no keyboard trap.
/* global document, Event */

const INDENT = '  ';

/**
 * @param {HTMLTextAreaElement} area
 * @param {{ run: () => void }} actions
 */
export function attachEditorKeys(area, actions) {
  let escaped = false;
  area.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      actions.run();
      return;
    }
    if (event.key === 'Escape') {
      escaped = true;
      return;
    }
    if (event.key === 'Tab' && !escaped && !event.ctrlKey && !event.altKey && !event.metaKey) {
      event.preventDefault();
      if (event.shiftKey) dedent(area);
      else indent(area);
    }
    escaped = false;
  });
}

function indent(area) {
  const { selectionStart: start, selectionEnd: end, value } = area;
  if (!value.slice(start, end).includes('\n')) {
    replace(area, start, end, INDENT);
    return;
  }
  const from = value.lastIndexOf('\n', start - 1) + 1;
  const block = value.slice(from, end);
  const lines = block.split('\n');
  replace(area, from, end, lines.map((l) => INDENT + l).join('\n'));
  area.setSelectionRange(start + INDENT.length, end + INDENT.length * lines.length);
}

function dedent(area) {
  const { selectionStart: start, selectionEnd: end, value } = area;
  const from = value.lastIndexOf('\n', start - 1) + 1;
  const lines = value.slice(from, end).split('\n');
  let removedFirst = 0;
  let removed = 0;
  const out = lines.map((l, i) => {
    const n = l.startsWith(INDENT) ? INDENT.length : l.startsWith(' ') || l.startsWith('\t') ? 1 : 0;
    if (i === 0) removedFirst = n;
    removed += n;
    return l.slice(n);
  });
  if (removed === 0) return;
  replace(area, from, end, out.join('\n'));
  area.setSelectionRange(Math.max(from, start - removedFirst), Math.max(from, end - removed));
}

/** Replaces a range as typing would, so that Ctrl+Z undoes it (execCommand), else directly. */
function replace(area, start, end, text) {
  area.setSelectionRange(start, end);
  // execCommand is deprecated but is still the only way to keep the textarea's undo history
  if (!document.execCommand('insertText', false, text)) {
    area.setRangeText(text, start, end, 'end');
    area.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
