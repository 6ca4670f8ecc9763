// The WebAssembly SIMD matmul kernel, as WAT text. One template makes both the f32x4 and the f64x2
// kernel: a 4-row by 2-vector register tile (8 accumulators). A is read where it lies, in either
// layout, through its row and column strides; B is packed in 2-vector column panels (pack_b does it
// inside the module, at memory speed), so the inner loop streams one contiguous panel.
// scripts/build-wasm.mjs assembles it with wabt at build time.

/** Rows of the register tile: 4 rows × 2 vectors = 8 accumulators (6 rows measured slower: register spills). */
export const TILE_ROWS = 4;

/**
 * WAT for `gemm_<t>(a, ars, aps, bp, c, crs, mPanels, nPanels, k)`: C = A · Bp, where A's element
 * (i, p) is at byte a + i·ars + p·aps, Bp is B packed by pack_b, and C's rows are crs bytes apart.
 */
function gemm(t) {
  const lanes = t === 'f32' ? 4 : 2;
  const splat = t === 'f32' ? 'v128.load32_splat' : 'v128.load64_splat';
  const rows = Array.from({ length: TILE_ROWS }, (_, r) => r);
  const acc = (r, h) => `$c${r}${h}`;
  const locals = rows
    .flatMap((r) => [acc(r, 0), acc(r, 1)])
    .map((n) => `(local ${n} v128)`)
    .join(' ');
  const zero = rows
    .flatMap((r) => [acc(r, 0), acc(r, 1)])
    .map((n) => `(local.set ${n} (v128.const i32x4 0 0 0 0))`)
    .join('\n      ');
  const rowAddr = [
    '(local.get $a)',
    '(i32.add (local.get $a) (local.get $ars))',
    '(i32.add (local.get $a) (local.get $ars2))',
    '(i32.add (local.get $a) (local.get $ars3))',
  ];
  const fma = rows
    .map(
      (r) => `(local.set $av (${splat} ${rowAddr[r]}))
          (local.set ${acc(r, 0)} (${t}x${lanes}.add (local.get ${acc(r, 0)}) (${t}x${lanes}.mul (local.get $av) (local.get $b0))))
          (local.set ${acc(r, 1)} (${t}x${lanes}.add (local.get ${acc(r, 1)}) (${t}x${lanes}.mul (local.get $av) (local.get $b1))))`,
    )
    .join('\n          ');
  const store = rows
    .map(
      (r) => `(v128.store (local.get $ct) (local.get ${acc(r, 0)}))
      (v128.store offset=16 (local.get $ct) (local.get ${acc(r, 1)}))
      (local.set $ct (i32.add (local.get $ct) (local.get $crs)))`,
    )
    .join('\n      ');
  return `
  (func (export "gemm_${t}") (param $a0 i32) (param $ars i32) (param $aps i32) (param $bp i32) (param $c i32) (param $crs i32) (param $mp i32) (param $np i32) (param $k i32)
    (local $ip i32) (local $jp i32) (local $p i32) (local $a i32) (local $b i32) (local $ct i32) (local $ars2 i32) (local $ars3 i32)
    (local $av v128) (local $b0 v128) (local $b1 v128) ${locals}
    (local.set $ars2 (i32.shl (local.get $ars) (i32.const 1)))
    (local.set $ars3 (i32.add (local.get $ars2) (local.get $ars)))
    (local.set $jp (i32.const 0))
    (loop $jloop
      (local.set $ip (i32.const 0))
      (loop $iloop
      ${zero}
      (local.set $a (i32.add (local.get $a0) (i32.mul (local.get $ip) (i32.shl (local.get $ars) (i32.const 2)))))
      (local.set $b (i32.add (local.get $bp) (i32.mul (local.get $jp) (i32.shl (local.get $k) (i32.const 5)))))
      (local.set $p (local.get $k))
      (block $pdone
        (br_if $pdone (i32.eqz (local.get $p)))
        (loop $ploop
          (local.set $b0 (v128.load (local.get $b)))
          (local.set $b1 (v128.load offset=16 (local.get $b)))
          ${fma}
          (local.set $a (i32.add (local.get $a) (local.get $aps)))
          (local.set $b (i32.add (local.get $b) (i32.const 32)))
          (local.set $p (i32.sub (local.get $p) (i32.const 1)))
          (br_if $ploop (local.get $p))))
      (local.set $ct (i32.add (local.get $c) (i32.add (i32.mul (local.get $ip) (i32.shl (local.get $crs) (i32.const 2))) (i32.shl (local.get $jp) (i32.const 5)))))
      ${store}
      (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
      (br_if $iloop (i32.lt_u (local.get $ip) (local.get $mp))))
      (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
      (br_if $jloop (i32.lt_u (local.get $jp) (local.get $np)))))`;
}

/**
 * WAT for `pack_b(src, rowBytes, k, nPanels, dst)`: B's k rows (rowBytes apart, from src) cut into
 * 32-byte column panels, panel jp's row p landing at dst + (jp·k + p)·32. A last, partial panel
 * takes the next bytes along (the next row's first values, or the caller's zeroed slack): they only
 * reach columns of C that are never read.
 */
const packB = `
  (func (export "pack_b") (param $src i32) (param $rs i32) (param $k i32) (param $np i32) (param $dst i32)
    (local $p i32) (local $jp i32) (local $from i32) (local $to i32) (local $panel i32)
    (local.set $panel (i32.shl (local.get $k) (i32.const 5)))
    (block $done
      (br_if $done (i32.eqz (i32.mul (local.get $k) (local.get $np))))
      (loop $ploop
        (local.set $from (i32.add (local.get $src) (i32.mul (local.get $p) (local.get $rs))))
        (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $p) (i32.const 5))))
        (local.set $jp (local.get $np))
        (loop $jloop
          (v128.store (local.get $to) (v128.load (local.get $from)))
          (v128.store offset=16 (local.get $to) (v128.load offset=16 (local.get $from)))
          (local.set $from (i32.add (local.get $from) (i32.const 32)))
          (local.set $to (i32.add (local.get $to) (local.get $panel)))
          (local.set $jp (i32.sub (local.get $jp) (i32.const 1)))
          (br_if $jloop (local.get $jp)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br_if $ploop (i32.lt_u (local.get $p) (local.get $k))))))`;

/**
 * WAT for the matrix-vector products, where a register tile would sit mostly empty:
 * `dot_rows_<t>(a, lda, x, y, m, k)`: y[i] = Σ_p a[i·lda + p]·x[p], SIMD along each row;
 * `axpy_rows_<t>(a, lda, x, y, m, k)`: y[0..m) += Σ_p x[p]·a[p·lda + 0..m), SIMD along y, which
 * the caller zeroes and rounds up to whole vectors (the overread lanes land only there).
 * lda is in bytes.
 */
function matvec(t) {
  const lanes = t === 'f32' ? 4 : 2;
  const size = t === 'f32' ? 4 : 8;
  const v = `${t}x${lanes}`;
  const splat = t === 'f32' ? 'v128.load32_splat' : 'v128.load64_splat';
  const hsum = Array.from({ length: lanes }, (_, l) => `(${v}.extract_lane ${l} (local.get $acc))`).reduce(
    (x, y) => `(${t}.add ${x} ${y})`,
  );
  return `
  (func (export "dot_rows_${t}") (param $a i32) (param $lda i32) (param $x i32) (param $y i32) (param $m i32) (param $k i32)
    (local $row i32) (local $p i32) (local $kv i32) (local $kb i32) (local $s ${t}) (local $acc v128) (local $acc1 v128)
    (local.set $kb (i32.mul (local.get $k) (i32.const ${size})))
    (local.set $kv (i32.and (local.get $kb) (i32.const -32)))
    (local.set $row (local.get $a))
    (block $done
      (br_if $done (i32.eqz (local.get $m)))
      (loop $rows
        (local.set $acc (v128.const i32x4 0 0 0 0))
        (local.set $acc1 (v128.const i32x4 0 0 0 0))
        (local.set $p (i32.const 0))
        (block $vdone
          (br_if $vdone (i32.eqz (local.get $kv)))
          (loop $vec
            (local.set $acc (${v}.add (local.get $acc) (${v}.mul (v128.load (i32.add (local.get $row) (local.get $p))) (v128.load (i32.add (local.get $x) (local.get $p))))))
            (local.set $acc1 (${v}.add (local.get $acc1) (${v}.mul (v128.load offset=16 (i32.add (local.get $row) (local.get $p))) (v128.load offset=16 (i32.add (local.get $x) (local.get $p))))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (br_if $vec (i32.lt_u (local.get $p) (local.get $kv)))))
        (local.set $acc (${v}.add (local.get $acc) (local.get $acc1)))
        (local.set $s ${hsum})
        (block $sdone
          (loop $tail
            (br_if $sdone (i32.ge_u (local.get $p) (local.get $kb)))
            (local.set $s (${t}.add (local.get $s) (${t}.mul (${t}.load (i32.add (local.get $row) (local.get $p))) (${t}.load (i32.add (local.get $x) (local.get $p))))))
            (local.set $p (i32.add (local.get $p) (i32.const ${size})))
            (br $tail)))
        (${t}.store (local.get $y) (local.get $s))
        (local.set $y (i32.add (local.get $y) (i32.const ${size})))
        (local.set $row (i32.add (local.get $row) (local.get $lda)))
        (local.set $m (i32.sub (local.get $m) (i32.const 1)))
        (br_if $rows (local.get $m)))))
  (func (export "axpy_rows_${t}") (param $a i32) (param $lda i32) (param $x i32) (param $y i32) (param $m i32) (param $k i32)
    (local $i i32) (local $mb i32) (local $xv v128)
    (local.set $mb (i32.and (i32.add (i32.mul (local.get $m) (i32.const ${size})) (i32.const 15)) (i32.const -16)))
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $k)) (i32.eqz (local.get $m))))
      (loop $rows
        (local.set $xv (${splat} (local.get $x)))
        (local.set $i (i32.const 0))
        (loop $vec
          (v128.store (i32.add (local.get $y) (local.get $i)) (${v}.add (v128.load (i32.add (local.get $y) (local.get $i))) (${v}.mul (local.get $xv) (v128.load (i32.add (local.get $a) (local.get $i))))))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br_if $vec (i32.lt_u (local.get $i) (local.get $mb))))
        (local.set $a (i32.add (local.get $a) (local.get $lda)))
        (local.set $x (i32.add (local.get $x) (i32.const ${size})))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br_if $rows (local.get $k)))))`;
}

/** The matmul functions of the kernels module: the two kernels, the B packer, the matrix-vector products. */
export const gemmFuncs = `${gemm('f32')}\n${gemm('f64')}\n${packB}\n${matvec('f32')}\n${matvec('f64')}`;
