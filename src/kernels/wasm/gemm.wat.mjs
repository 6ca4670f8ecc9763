// The WebAssembly SIMD matmul kernel, as WAT text. One template makes both the f32x4 and the f64x2
// kernel: a TILE_ROWS-row by PANEL_VECTORS-vector register tile (4 × 2 = 8 accumulators). A is read
// where it lies, in either layout, through its row and column strides; B is packed in column panels
// PANEL_BYTES wide (pack_b does it inside the module, at memory speed), so the inner loop streams one
// contiguous panel. scripts/build-wasm.mjs assembles it with wabt at build time and hands TILE_ROWS
// and PANEL_BYTES to TypeScript (GEMM_TILE_ROWS, GEMM_PANEL_BYTES in generated.ts).

/** Rows of the register tile: 4 rows × 2 vectors = 8 accumulators (6 rows measured slower: register spills). */
export const TILE_ROWS = 4;

/** 128-bit vectors across a B panel, so across the register tile. */
export const PANEL_VECTORS = 2;

/** Bytes across a packed B panel (one of its rows): 8 float32 or 4 float64 columns. */
export const PANEL_BYTES = 16 * PANEL_VECTORS;

/** WAT for `expr` · n (an i32 constant): a shift where n is a power of two. */
function times(expr, n) {
  const shift = Math.log2(n);
  return Number.isInteger(shift) ? `(i32.shl ${expr} (i32.const ${shift}))` : `(i32.mul ${expr} (i32.const ${n}))`;
}

/** The vectors of a panel row, and the `offset=` immediate that reaches vector h of it. */
const vectors = Array.from({ length: PANEL_VECTORS }, (_, h) => h);
const offset = (h) => (h === 0 ? '' : `offset=${16 * h} `);

/**
 * WAT for `gemm_<t>(a, ars, aps, bp, c, crs, mPanels, nPanels, k)`: C = A · Bp, where A's element
 * (i, p) is at byte a + i·ars + p·aps, Bp is B packed by pack_b, and C's rows are crs bytes apart.
 */
function gemm(t) {
  const lanes = t === 'f32' ? 4 : 2;
  const splat = t === 'f32' ? 'v128.load32_splat' : 'v128.load64_splat';
  const rows = Array.from({ length: TILE_ROWS }, (_, r) => r);
  const acc = (r, h) => `$c${r}${h}`;
  const accs = rows.flatMap((r) => vectors.map((h) => acc(r, h)));
  const locals = accs.map((n) => `(local ${n} v128)`).join(' ');
  const zero = accs.map((n) => `(local.set ${n} (v128.const i32x4 0 0 0 0))`).join('\n      ');
  // row r of the tile starts r·ars bytes past row 0: $ars2, $ars3, … hold those multiples
  const strideLocals = rows
    .slice(2)
    .map((r) => `(local $ars${r} i32)`)
    .join(' ');
  const strideInit = rows
    .slice(2)
    .map((r) =>
      r === 2
        ? '(local.set $ars2 (i32.shl (local.get $ars) (i32.const 1)))'
        : `(local.set $ars${r} (i32.add (local.get $ars${r - 1}) (local.get $ars)))`,
    )
    .join('\n    ');
  const rowAddr = (r) =>
    r === 0 ? '(local.get $a)' : `(i32.add (local.get $a) (local.get ${r === 1 ? '$ars' : `$ars${r}`}))`;
  const loadB = vectors.map((h) => `(local.set $b${h} (v128.load ${offset(h)}(local.get $b)))`).join('\n          ');
  const fma = rows
    .map((r) =>
      [
        `(local.set $av (${splat} ${rowAddr(r)}))`,
        ...vectors.map(
          (h) =>
            `(local.set ${acc(r, h)} (${t}x${lanes}.add (local.get ${acc(r, h)}) (${t}x${lanes}.mul (local.get $av) (local.get $b${h}))))`,
        ),
      ].join('\n          '),
    )
    .join('\n          ');
  const store = rows
    .map((r) =>
      [
        ...vectors.map((h) => `(v128.store ${offset(h)}(local.get $ct) (local.get ${acc(r, h)}))`),
        '(local.set $ct (i32.add (local.get $ct) (local.get $crs)))',
      ].join('\n      '),
    )
    .join('\n      ');
  return `
  (func (export "gemm_${t}") (param $a0 i32) (param $ars i32) (param $aps i32) (param $bp i32) (param $c i32) (param $crs i32) (param $mp i32) (param $np i32) (param $k i32)
    (local $ip i32) (local $jp i32) (local $p i32) (local $a i32) (local $b i32) (local $ct i32) ${strideLocals}
    (local $av v128) ${vectors.map((h) => `(local $b${h} v128)`).join(' ')} ${locals}
    ${strideInit}
    (local.set $jp (i32.const 0))
    (loop $jloop
      (local.set $ip (i32.const 0))
      (loop $iloop
      ${zero}
      (local.set $a (i32.add (local.get $a0) (i32.mul (local.get $ip) ${times('(local.get $ars)', TILE_ROWS)})))
      (local.set $b (i32.add (local.get $bp) (i32.mul (local.get $jp) ${times('(local.get $k)', PANEL_BYTES)})))
      (local.set $p (local.get $k))
      (block $pdone
        (br_if $pdone (i32.eqz (local.get $p)))
        (loop $ploop
          ${loadB}
          ${fma}
          (local.set $a (i32.add (local.get $a) (local.get $aps)))
          (local.set $b (i32.add (local.get $b) (i32.const ${PANEL_BYTES})))
          (local.set $p (i32.sub (local.get $p) (i32.const 1)))
          (br_if $ploop (local.get $p))))
      (local.set $ct (i32.add (local.get $c) (i32.add (i32.mul (local.get $ip) ${times('(local.get $crs)', TILE_ROWS)}) ${times('(local.get $jp)', PANEL_BYTES)})))
      ${store}
      (local.set $ip (i32.add (local.get $ip) (i32.const 1)))
      (br_if $iloop (i32.lt_u (local.get $ip) (local.get $mp))))
      (local.set $jp (i32.add (local.get $jp) (i32.const 1)))
      (br_if $jloop (i32.lt_u (local.get $jp) (local.get $np)))))`;
}

/**
 * WAT for `pack_b(src, rowBytes, k, nPanels, dst)`: B's k rows (rowBytes apart, from src) cut into
 * column panels PANEL_BYTES wide, panel jp's row p landing at dst + (jp·k + p)·PANEL_BYTES. A last,
 * partial panel takes the next bytes along (the next row's first values, or the caller's zeroed
 * slack): they only reach columns of C that are never read.
 */
const packB = `
  (func (export "pack_b") (param $src i32) (param $rs i32) (param $k i32) (param $np i32) (param $dst i32)
    (local $p i32) (local $jp i32) (local $from i32) (local $to i32) (local $panel i32)
    (local.set $panel ${times('(local.get $k)', PANEL_BYTES)})
    (block $done
      (br_if $done (i32.eqz (i32.mul (local.get $k) (local.get $np))))
      (loop $ploop
        (local.set $from (i32.add (local.get $src) (i32.mul (local.get $p) (local.get $rs))))
        (local.set $to (i32.add (local.get $dst) ${times('(local.get $p)', PANEL_BYTES)}))
        (local.set $jp (local.get $np))
        (loop $jloop
          ${vectors.map((h) => `(v128.store ${offset(h)}(local.get $to) (v128.load ${offset(h)}(local.get $from)))`).join('\n          ')}
          (local.set $from (i32.add (local.get $from) (i32.const ${PANEL_BYTES})))
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
export const wat = `${gemm('f32')}\n${gemm('f64')}\n${packB}\n${matvec('f32')}\n${matvec('f64')}`;
