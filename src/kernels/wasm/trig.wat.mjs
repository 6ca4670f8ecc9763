// float32 sine and cosine in WebAssembly SIMD, four lanes at a time, as WAT text. Like TensorFlow's
// own float32 kernels (Eigen's), a polynomial in float32 rather than a double-precision library call:
// subtract the nearest multiple of π/2 (Cody and Waite's π/2 in four float32 parts, the first three
// short enough that q·part is exact for |x| ≤ 8192), then Cephes' minimax polynomials for sin and cos
// on [-π/4, π/4], picked and signed by the quadrant.
// src/kernels/trig.ts evaluates the very same float32 operations in JavaScript, bit for bit.
// scripts/build-wasm.mjs assembles it with wabt at build time.

import { vectorConstants } from './constants.wat.mjs';

const f = Math.fround;

/** The constants, each an exact float32 value; trig.ts reads the same ones from generated.ts. */
export const TRIG = {
  /** Inputs above this magnitude flag the call: the reduction is no longer exact there. */
  limit: 8192,
  twoOverPi: f(2 / Math.PI),
  /** 1.5 · 2^23: adding it rounds a float32 below 2^22 to an integer, half to even, in the low bits. */
  round: 12582912,
  // π/2 = p1 + p2 + p3 + p4 to 2^-77: p1, p2, p3 have 8, 11 and 11 significant bits, so q·p is exact
  p1: 1.5703125,
  p2: 4.837512969970703125e-4,
  p3: 7.549533620476723e-8,
  p4: 2.5633440682570896e-12,
  s1: f(-1.6666654611e-1),
  s2: f(8.3321608736e-3),
  s3: f(-1.9515295891e-4),
  c1: f(4.166664568298827e-2),
  c2: f(-1.388731625493765e-3),
  c3: f(2.443315711809948e-5),
};

const {
  locals: constLocals,
  init: constInit,
  k,
  horner,
} = vectorConstants(
  { ...TRIG, half: 0.5, one: 1 },
  { sign: '(i32.const 0x80000000)', i1: '(i32.const 1)', i2: '(i32.const 2)' },
);

/**
 * WAT for `<name>_f32(src, dst, n) -> i32`: dst[i] = sin or cos of src[i] for i < n rounded up to
 * a multiple of 4; returns 1 when some |src[i]| exceeds TRIG.limit (the caller redoes those).
 */
function trig(name) {
  const sin = name === 'sin';
  // sin keeps x's sign (odd function; worked on |x|); the quadrant flips it every two quadrants
  const sign = sin
    ? `(v128.xor (v128.and (local.get $x) ${k('sign')}) (i32x4.shl (v128.and (local.get $q) ${k('i2')}) (i32.const 30)))`
    : `(i32x4.shl (v128.and (i32x4.add (local.get $q) ${k('i1')}) ${k('i2')}) (i32.const 30))`;
  const [odd, even] = sin ? ['$c', '$s'] : ['$s', '$c'];
  return `
  (func (export "${name}_f32") (param $src i32) (param $dst i32) (param $n i32) (result i32)
    (local $i i32) (local $end i32) (local $x v128) (local $ax v128) (local $qf v128) (local $q v128)
    (local $r v128) (local $z v128) (local $s v128) (local $c v128) (local $big v128) ${constLocals}
    ${constInit}
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $x (v128.load (i32.add (local.get $src) (local.get $i))))
        (local.set $ax (f32x4.abs (local.get $x)))
        (local.set $big (v128.or (local.get $big) (f32x4.gt (local.get $ax) ${k('limit')})))
        ;; q = nearest(|x| 2/π): its integer lands in the low bits of $q, its value in $qf
        (local.set $q (f32x4.add (f32x4.mul (local.get $ax) ${k('twoOverPi')}) ${k('round')}))
        (local.set $qf (f32x4.sub (local.get $q) ${k('round')}))
        (local.set $r (f32x4.sub (f32x4.sub (f32x4.sub (f32x4.sub (local.get $ax)
          (f32x4.mul (local.get $qf) ${k('p1')})) (f32x4.mul (local.get $qf) ${k('p2')})) (f32x4.mul (local.get $qf) ${k('p3')})) (f32x4.mul (local.get $qf) ${k('p4')})))
        (local.set $z (f32x4.mul (local.get $r) (local.get $r)))
        ;; s = ((s3 z + s2) z + s1) z r + r
        (local.set $s (f32x4.add (f32x4.mul (f32x4.mul ${horner(['s3', 's2', 's1'], '(local.get $z)')} (local.get $z)) (local.get $r)) (local.get $r)))
        ;; c = ((c3 z + c2) z + c1) z z - z/2 + 1
        (local.set $c (f32x4.add (f32x4.sub (f32x4.mul (f32x4.mul ${horner(['c3', 'c2', 'c1'], '(local.get $z)')} (local.get $z)) (local.get $z)) (f32x4.mul (local.get $z) ${k('half')})) ${k('one')}))
        ;; odd quadrants swap sin and cos
        (v128.store (i32.add (local.get $dst) (local.get $i)) (v128.xor
          (v128.bitselect (local.get ${odd}) (local.get ${even}) (i32x4.eq (v128.and (local.get $q) ${k('i1')}) ${k('i1')}))
          ${sign}))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $end)))))
    (v128.any_true (local.get $big)))`;
}

/** The trig functions of the kernels module. */
export const wat = `${trig('sin')}\n${trig('cos')}`;
