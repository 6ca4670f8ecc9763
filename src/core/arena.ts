// Where the bytes of mid-sized tensors come from. Creating an ArrayBuffer of more than 64 bytes
// costs V8 1-3 µs (an off-heap allocation the GC must track), more than the op that fills it: a
// 1000-float add takes under 1 µs. So arrays of 65 B to 16 KiB are carved, a few at a time, from
// shared zero-filled buffers, and the GC frees a buffer once every array carved from it is gone.
//
// NOTE: each chunk is handed out once and never reused, so every array starts zeroed and no two
// tensors ever share bytes. The price is that one surviving array keeps its buffer's other
// chunks alive: at most CHUNKS_PER_BUFFER × its size class, under 16× its own bytes, only for
// arrays up to 16 KiB. Smaller arrays live on V8's heap already; larger ones get a buffer each.

/** Arrays of at most this many bytes are allocated on V8's heap, cheaply; no arena needed. */
const ON_HEAP_BYTES = 64;
/** Above this, an array's own ArrayBuffer costs little next to filling it. */
const MAX_ARENA_BYTES = 16384;
/** How many arrays of its size class one shared buffer holds: the saving and the pinning bound. */
const CHUNKS_PER_BUFFER = 8;

/** The open buffer of each size class (class c holds arrays of 2^(c-1)+1 .. 2^c bytes). */
const buffers: (ArrayBuffer | undefined)[] = [];
const used: number[] = [];

/**
 * The byte offset of `bytes` fresh zeroed bytes in the returned buffer, or null when `bytes` is
 * better served by an array of its own. Offsets are multiples of 8, so any typed array fits.
 */
function carve(bytes: number): [ArrayBuffer, number] | null {
  if (bytes <= ON_HEAP_BYTES || bytes > MAX_ARENA_BYTES) return null;
  const cls = 32 - Math.clz32(bytes - 1);
  const need = (bytes + 7) & ~7;
  let buffer = buffers[cls];
  let at = used[cls];
  if (buffer === undefined || at + need > buffer.byteLength) {
    buffer = new ArrayBuffer(CHUNKS_PER_BUFFER << cls);
    buffers[cls] = buffer;
    at = 0;
  }
  used[cls] = at + need;
  return [buffer, at];
}

/** A zero-filled Float32Array of `size` elements. */
export function float32Array(size: number): Float32Array {
  const place = carve(size * 4);
  return place === null ? new Float32Array(size) : new Float32Array(place[0], place[1], size);
}

/** A zero-filled Float64Array of `size` elements. */
export function float64Array(size: number): Float64Array {
  const place = carve(size * 8);
  return place === null ? new Float64Array(size) : new Float64Array(place[0], place[1], size);
}

/** A zero-filled Int32Array of `size` elements. */
export function int32Array(size: number): Int32Array {
  const place = carve(size * 4);
  return place === null ? new Int32Array(size) : new Int32Array(place[0], place[1], size);
}

/** A zero-filled Uint8Array of `size` elements. */
export function uint8Array(size: number): Uint8Array {
  const place = carve(size);
  return place === null ? new Uint8Array(size) : new Uint8Array(place[0], place[1], size);
}
