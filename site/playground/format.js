// How the playground shows values: console.log's text for any value (tensors and variables by their
// toString, as in Node), and the short previews on the nodes of the tape picture.

const MAX_ITEMS = 100;
const MAX_DEPTH = 4;

/**
 * The text `console.log` prints for its arguments, joined by spaces: strings as they are, tensors
 * and variables by their `toString()`, arrays and objects in a compact Node-like form.
 * @param {readonly unknown[]} args
 * @param {{ Tensor: Function, Variable: Function }} tg
 * @returns {string}
 */
export function formatArgs(args, tg) {
  return args.map((a) => (typeof a === 'string' ? a : formatValue(a, tg))).join(' ');
}

/**
 * One value as text (strings quoted, as inside an array).
 * @param {unknown} value
 * @param {{ Tensor: Function, Variable: Function }} tg
 * @returns {string}
 */
export function formatValue(value, tg) {
  return show(value, tg, 0, new Set());
}

function show(v, tg, depth, seen) {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return Object.is(v, -0) ? '-0' : String(v);
    case 'bigint':
      return `${v}n`;
    case 'function':
      return `[Function${v.name ? ` ${v.name}` : ''}]`;
    case 'object':
      break;
    default:
      return String(v); // undefined, boolean, symbol
  }
  if (v === null) return 'null';
  if (v instanceof tg.Tensor || v instanceof tg.Variable) return String(v);
  if (v instanceof Error) return `${v.name}: ${v.message}`;
  if (seen.has(v)) return '[Circular]';
  if (depth >= MAX_DEPTH) return Array.isArray(v) ? '[Array]' : '[Object]';
  seen.add(v);
  try {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      const items = Array.from(v.subarray(0, MAX_ITEMS), (x) => show(x, tg, depth + 1, seen));
      return `${v.constructor.name}(${v.length}) [${more(items, v.length).join(', ')}]`;
    }
    if (Array.isArray(v)) {
      const items = v.slice(0, MAX_ITEMS).map((x) => show(x, tg, depth + 1, seen));
      return `[${more(items, v.length).join(', ')}]`;
    }
    if (v instanceof Map) {
      const items = [...v]
        .slice(0, MAX_ITEMS)
        .map(([k, x]) => `${show(k, tg, depth + 1, seen)} => ${show(x, tg, depth + 1, seen)}`);
      return `Map(${v.size}) {${items.length ? ` ${more(items, v.size).join(', ')} ` : ''}}`;
    }
    if (v instanceof Set) {
      const items = [...v].slice(0, MAX_ITEMS).map((x) => show(x, tg, depth + 1, seen));
      return `Set(${v.size}) {${items.length ? ` ${more(items, v.size).join(', ')} ` : ''}}`;
    }
    if (v instanceof Promise) return 'Promise { … } (did you forget an await?)';
    const keys = Object.keys(v);
    const items = keys.slice(0, MAX_ITEMS).map((k) => `${key(k)}: ${show(v[k], tg, depth + 1, seen)}`);
    const proto = Object.getPrototypeOf(v);
    const name = proto === null || proto === Object.prototype ? '' : `${proto.constructor?.name ?? ''} `;
    return `${name}{${items.length ? ` ${more(items, keys.length).join(', ')} ` : ''}}`;
  } finally {
    seen.delete(v);
  }
}

function more(items, total) {
  return total > items.length ? [...items, `… ${total - items.length} more`] : items;
}

function key(k) {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
}

/**
 * A short preview of a tensor's values for a node of the tape picture: the number of a scalar, or
 * the first few elements and the count (`[0.5, -1.25, … 10]`).
 * @param {{ dtype: string, size: number, rank: number, dataSync(): ArrayLike<number> }} t
 * @param {number} [count] how many elements to show
 * @returns {string}
 */
export function preview(t, count = 2) {
  const data = t.dataSync();
  // a scalar to 4 significant digits, elements of a list to 3 (the nodes stay narrow)
  const fmt = (x) => (t.dtype === 'bool' ? String(x !== 0) : short(x, t.rank === 0 ? 4 : 3));
  if (t.rank === 0) return fmt(data[0]);
  const shown = Array.from(data.subarray ? data.subarray(0, count) : Array.prototype.slice.call(data, 0, count), fmt);
  return `[${shown.join(', ')}${t.size > count ? `, … ${t.size}` : ''}]`;
}

/**
 * A number to a few significant digits, without trailing zeros (`0.3333`, `1.5e-7`, `24`).
 * @param {number} x
 * @param {number} [digits]
 * @returns {string}
 */
export function short(x, digits = 4) {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e5) return String(Number(x.toPrecision(digits)));
  return x
    .toExponential(digits - 1)
    .replace(/\.?0+e/, 'e')
    .replace('e+', 'e');
}

/**
 * `[2,3] f32`: a tensor's shape and a short dtype name.
 * @param {{ shape: readonly number[], dtype: string }} t
 * @returns {string}
 */
export function shapeText(t) {
  const dtype = { float32: 'f32', float64: 'f64', int32: 'i32', bool: 'bool' }[t.dtype] ?? t.dtype;
  return `[${t.shape.join(',')}] ${dtype}`;
}
