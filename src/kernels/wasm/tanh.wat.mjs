// float32 tanh in WebAssembly SIMD, four lanes at a time, as WAT text: float32 arithmetic like
// TensorFlow's CPU kernel rather than a double-precision call, here by Cephes' method (within 1.5
// ulps): on |x| ≤ 0.625 an odd polynomial, above it 1 - 2/(e^{2|x|} + 1) with e^y by Cody and
// Waite's reduction (y = n ln2 + r, ln2 in two parts) and a polynomial for e^r; |x| is clamped at
// 10, past which tanh rounds to 1. Both branches work on |x|, and x's sign is put back at the end.
// src/kernels/tanh.ts evaluates the very same float32 operations in JavaScript, bit for bit.
// scripts/build-wasm.mjs assembles it with wabt at build time.

import { vectorConstants } from './constants.wat.mjs';

const f = Math.fround;

/** The constants, each an exact float32 value; tanh.ts reads the same ones from generated.ts. */
export const TANH = {
  clamp: 10,
  /** The largest |x| of the polynomial branch. */
  small: 0.625,
  log2e: f(Math.LOG2E),
  /** 1.5 · 2^23: adding it rounds a float32 below 2^22 to an integer, half to even, in the low bits. */
  round: 12582912,
  // ln 2 = ln2hi + ln2lo, ln2hi short enough that n·ln2hi is exact
  ln2hi: 0.693359375,
  ln2lo: f(-2.1219444e-4),
  e0: f(1.98756915e-4),
  e1: f(1.3981999507e-3),
  e2: f(8.3334519073e-3),
  e3: f(4.1665795894e-2),
  e4: f(1.6666665459e-1),
  e5: f(5.0000001201e-1),
  t0: f(-5.70498872745e-3),
  t1: f(2.06390887954e-2),
  t2: f(-5.37397155531e-2),
  t3: f(1.33314422036e-1),
  t4: f(-3.33332819422e-1),
};

const {
  locals: constLocals,
  init: constInit,
  k,
  horner,
} = vectorConstants(
  { ...TANH, one: 1, two: 2 },
  {
    sign: '(i32.const 0x80000000)',
    roundbits: `(i32.reinterpret_f32 (f32.const ${TANH.round}))`,
    bias: '(i32.const 127)',
  },
);

/** WAT for `tanh_f32(src, dst, n)`: dst[i] = tanh(src[i]) for i < n rounded up to a multiple of 4. */
export const wat = `
  (func (export "tanh_f32") (param $src i32) (param $dst i32) (param $n i32)
    (local $i i32) (local $end i32) (local $x v128) (local $ax v128) (local $y v128) (local $q v128)
    (local $nf v128) (local $r v128) (local $e v128) (local $big v128) (local $z v128) (local $small v128) ${constLocals}
    ${constInit}
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        (local.set $x (v128.load (i32.add (local.get $src) (local.get $i))))
        (local.set $ax (f32x4.min (f32x4.abs (local.get $x)) ${k('clamp')}))
        ;; e = e^(2|x|) = 2^n e^r, n = nearest(y log2 e), r = y - n ln2
        (local.set $y (f32x4.add (local.get $ax) (local.get $ax)))
        (local.set $q (f32x4.add (f32x4.mul (local.get $y) ${k('log2e')}) ${k('round')}))
        (local.set $nf (f32x4.sub (local.get $q) ${k('round')}))
        (local.set $r (f32x4.sub (f32x4.sub (local.get $y) (f32x4.mul (local.get $nf) ${k('ln2hi')})) (f32x4.mul (local.get $nf) ${k('ln2lo')})))
        (local.set $e (f32x4.add (f32x4.add (f32x4.mul ${horner(['e0', 'e1', 'e2', 'e3', 'e4', 'e5'], '(local.get $r)')} (f32x4.mul (local.get $r) (local.get $r))) (local.get $r)) ${k('one')}))
        (local.set $e (f32x4.mul (local.get $e) (i32x4.shl (i32x4.add (i32x4.sub (local.get $q) ${k('roundbits')}) ${k('bias')}) (i32.const 23))))
        (local.set $big (f32x4.sub ${k('one')} (f32x4.div ${k('two')} (f32x4.add (local.get $e) ${k('one')}))))
        ;; small = (p(z) z) |x| + |x|, z = x²
        (local.set $z (f32x4.mul (local.get $ax) (local.get $ax)))
        (local.set $small (f32x4.add (f32x4.mul (f32x4.mul ${horner(['t0', 't1', 't2', 't3', 't4'], '(local.get $z)')} (local.get $z)) (local.get $ax)) (local.get $ax)))
        (v128.store (i32.add (local.get $dst) (local.get $i)) (v128.or
          (v128.bitselect (local.get $big) (local.get $small) (f32x4.gt (local.get $ax) ${k('small')}))
          (v128.and (local.get $x) ${k('sign')})))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $end))))))`;
