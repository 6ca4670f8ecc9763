// Named vector constants for the elementwise SIMD kernels (trig.wat.mjs, tanh.wat.mjs), splatted
// into v128 locals once, before the loop.
// NOTE: V8 rematerializes a v128.const on every use inside a loop (hoisting them measured
// 2.0 -> 1.7 µs per 1000 sines)

/**
 * Locals for named vector constants: each of `floats` an f32x4 splat of its number, each of `ints`
 * an i32x4 splat of its i32 expression. Gives the locals' declarations, their initialisation, the
 * reader `k(name)`, and `horner(names, v)`: ((c0·v + c1)·v + …) + cn over the named coefficients.
 */
export function vectorConstants(floats, ints = {}) {
  const names = [...Object.keys(floats), ...Object.keys(ints)];
  const k = (name) => `(local.get $k_${name})`;
  return {
    locals: names.map((n) => `(local $k_${n} v128)`).join(' '),
    init: [
      ...Object.entries(floats).map(([n, v]) => `(local.set $k_${n} (f32x4.splat (f32.const ${v})))`),
      ...Object.entries(ints).map(([n, e]) => `(local.set $k_${n} (i32x4.splat ${e}))`),
    ].join('\n    '),
    k,
    horner: (coefficients, v) =>
      coefficients.slice(1).reduce((acc, n) => `(f32x4.add (f32x4.mul ${acc} ${v}) ${k(n)})`, k(coefficients[0])),
  };
}
