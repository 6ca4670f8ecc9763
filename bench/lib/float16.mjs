// Imported before jax-js: Node 20 has no Float16Array, and jax-js tests typed arrays against it
// (`data instanceof Float16Array`) before reaching Float64Array, so float64 inputs would throw a
// ReferenceError. A stand-in class that no array is an instance of lets float64 data through.
globalThis.Float16Array ??= class Float16Array {};
