// The WebAssembly SIMD matmul kernel, as WAT text. One template makes both the f32x4 and the f64x2
// kernel: a 4-row by 2-vector register tile (8 accumulators), over A packed in 4-row panels and B
// packed in 2-vector column panels, so the inner loop only streams contiguous memory.
// scripts/build-wasm.mjs assembles it with wabt at build time.

/** Rows of the register tile (and of an A panel): 4 rows × 2 vectors = 8 accumulators (6 rows measured slower: register spills). */
export const TILE_ROWS = 4;

/** WAT for `gemm_<t>(ap, bp, c, mPanels, nPanels, k)`: C (row stride nPanels·32 bytes) = Ap · Bp. */
function gemm(t) {
  const lanes = t === 'f32' ? 4 : 2;
  const size = t === 'f32' ? 4 : 8;
  const rows = Array.from({ length: TILE_ROWS }, (_, r) => r);
  const acc = (r, h) => `$c${r}${h}`;
  const locals = rows.flatMap((r) => [acc(r, 0), acc(r, 1)]).map((n) => `(local ${n} v128)`).join(' ');
  const zero = rows.flatMap((r) => [acc(r, 0), acc(r, 1)]).map((n) => `(local.set ${n} (v128.const i32x4 0 0 0 0))`).join('\n      ');
  const fma = rows
    .map((r) => `(local.set $av (${t}x${lanes}.splat (${t}.load offset=${r * size} (local.get $a))))
          (local.set ${acc(r, 0)} (${t}x${lanes}.add (local.get ${acc(r, 0)}) (${t}x${lanes}.mul (local.get $av) (local.get $b0))))
          (local.set ${acc(r, 1)} (${t}x${lanes}.add (local.get ${acc(r, 1)}) (${t}x${lanes}.mul (local.get $av) (local.get $b1))))`)
    .join('\n          ');
  const store = rows
    .map((r) => `(v128.store (local.get $ct) (local.get ${acc(r, 0)}))
      (v128.store offset=16 (local.get $ct) (local.get ${acc(r, 1)}))
      (local.set $ct (i32.add (local.get $ct) (local.get $rs)))`)
    .join('\n      ');
  return `
  (func (export "gemm_${t}") (param $ap i32) (param $bp i32) (param $c i32) (param $mp i32) (param $np i32) (param $k i32)
    (local $ip i32) (local $jp i32) (local $p i32) (local $a i32) (local $b i32) (local $ct i32) (local $rs i32)
    (local $av v128) (local $b0 v128) (local $b1 v128) ${locals}
    (local.set $rs (i32.shl (local.get $np) (i32.const 5)))
    (local.set $jp (i32.const 0))
    (loop $jloop
      (local.set $ip (i32.const 0))
      (loop $iloop
      ${zero}
      (local.set $a (i32.add (local.get $ap) (i32.mul (local.get $ip) (i32.mul (local.get $k) (i32.const ${TILE_ROWS * size})))))
      (local.set $b (i32.add (local.get $bp) (i32.mul (local.get $jp) (i32.shl (local.get $k) (i32.const 5)))))
      (local.set $p (local.get $k))
      (block $pdone
        (br_if $pdone (i32.eqz (local.get $p)))
        (loop $ploop
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $b1 (v128.load offset=16 (local.get $b)))
          ${fma}
          (local.set $a (i32.add (local.get $a) (i32.const ${TILE_ROWS * size})))
          (local.set $b (i32.add (local.get $b) (i32.const 32)))
          (local.set $p (i32.sub (local.get $p) (i32.const 1)))
          (br_if $ploop (local.get $p))))
      (local.set $ct (i32.add (local.get $c) (i32.add (i32.mul (local.get $ip) (i32.mul (local.get $rs) (i32.const ${TILE_ROWS}))) (i32.shl (local.get $jp) (i32.const 5)))))
      ${store}
      (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
      (br_if $iloop (i32.lt_u (local.get $ip) (local.get $mp))))
      (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
      (br_if $jloop (i32.lt_u (local.get $jp) (local.get $np)))))`;
}

/** The whole module: one memory, grown by the caller, and the two kernels. */
export const gemmWat = `(module
  (memory (export "memory") 1)
  ${gemm('f32')}
  ${gemm('f64')})`;
