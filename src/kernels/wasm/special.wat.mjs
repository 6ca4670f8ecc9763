// float32 exp and erf in WebAssembly SIMD, as WAT text: each float32 promoted to a double, the function
// computed in doubles to about 1e-15 (two lanes at a time), and the double rounded to float32 only
// where that rounding is certain, so that the results are bit for bit fround(Math.exp(x)) and
// fround(erfScalar(x)), the values of the JavaScript paths. An element whose double lies within
// MARGIN (relative) of a float32 rounding boundary, or outside the kernel's range (NaN included),
// is listed for the caller to compute in JavaScript (about one in 10⁶).
//   exp: x = (64k + j)·ln2/64 + r, |r| ≤ ln2/128, e^x = 2^k · 2^(j/64) · (1 + r + r²/2 + … + r⁵/120).
//   erf: the Taylor polynomial of degree 7 around the nearest point of a grid of step 1/64 over
//   [-4, 4] (as src/kernels/erf.ts, which builds the coefficients and checks every float32).
// Both read a table the caller wrote into the module's memory (see wasm_special.ts).
// scripts/build-wasm.mjs assembles it with wabt at build time.

/** The constants the kernels and their TypeScript callers share. */
export const SPECIAL = {
  /** How close (relative) to a float32 rounding boundary a double may come and still be rounded here. */
  margin: 1e-13,
  /** exp: steps per power of two, and the range computed here (beyond, float32 underflows or overflows). */
  expSteps: 64,
  expLow: -104,
  expHigh: 88,
  /** erf: grid points per unit over [-erfLimit, erfLimit], and Taylor coefficients per point. */
  erfPerUnit: 64,
  erfLimit: 4,
  erfTerms: 8,
};

const { margin, expSteps, expLow, expHigh, erfPerUnit, erfLimit, erfTerms } = SPECIAL;
/** ln2/64 in two parts (Cody and Waite): n·hi is exact for the |n| < 2^14 met here. */
const stepHi = Math.fround(Math.LN2 / expSteps);
const stepLo = Math.LN2 / expSteps - stepHi;

/** A WAT f64 literal that reads back as exactly `v`. */
const f64 = (v) => (Object.is(v, -0) ? '-0' : v.toPrecision(17));

/** Bytes of the 16-byte lanes a shuffle takes: the low (or high) 8 bytes of a, then of b. */
const low = '0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23';
const high = '8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31';
/** The upper two float32 lanes of a vector moved down, for promote_low. */
const upper = '8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15';

/** Locals every kernel below declares. */
const commonLocals =
  '(local $i i32) (local $end i32) (local $count i32) (local $bad i32) (local $lane i32) (local $at i32) ' +
  '(local $x v128) (local $arg v128) (local $in v128) (local $xc v128) (local $v v128) (local $e v128) (local $m v128) ' +
  '(local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128) (local $lo v128) (local $kMargin v128)';
const commonInit = `(local.set $kMargin (f64x2.splat (f64.const ${f64(margin)})))`;

/**
 * One step of four lanes: `$arg` (float32) and `$in` (the lanes the function may take) are set; `body`
 * turns the doubles of `$v` into `$e`; each double is rounded where that is certain, into `$lo`, which
 * `finish` stores; the other lanes (out of range, or too close to a rounding boundary) are listed at
 * $fix as element `$first + lane` (below $limit), and $count counts them.
 */
function step(body, finish, first, limit) {
  const half = (h, source) => `
        (local.set $v (f64x2.promote_low_f32x4 ${source}))
        ${body}
        (local.set $m (f64x2.mul (local.get $e) (local.get $kMargin)))
        (local.set $lo${h} (f32x4.demote_f64x2_zero (f64x2.sub (local.get $e) (local.get $m))))
        (local.set $hi${h} (f32x4.demote_f64x2_zero (f64x2.add (local.get $e) (local.get $m))))`;
  return `
        ;; lanes out of range compute from 0 (harmlessly) and are listed
        (local.set $xc (v128.and (local.get $arg) (local.get $in)))
        ${half(0, '(local.get $xc)')}
        ${half(1, `(i8x16.shuffle ${upper} (local.get $xc) (local.get $xc))`)}
        (local.set $lo (i8x16.shuffle ${low} (local.get $lo0) (local.get $lo1)))
        ${finish}
        (local.set $bad (i32x4.bitmask (v128.not (v128.and (local.get $in)
          (f32x4.eq (local.get $lo) (i8x16.shuffle ${low} (local.get $hi0) (local.get $hi1)))))))
        (if (local.get $bad)
          (then
            (local.set $lane (i32.const 0))
            (loop $lanes
              (local.set $at (i32.add ${first} (local.get $lane)))
              (if (i32.and
                    (i32.and (i32.shr_u (local.get $bad) (local.get $lane)) (i32.const 1))
                    (i32.lt_u (local.get $at) ${limit}))
                (then
                  (i32.store (i32.add (local.get $fix) (i32.shl (local.get $count) (i32.const 2))) (local.get $at))
                  (local.set $count (i32.add (local.get $count) (i32.const 1)))))
              (local.set $lane (i32.add (local.get $lane) (i32.const 1)))
              (br_if $lanes (i32.lt_u (local.get $lane) (i32.const 4))))))`;
}

/**
 * A kernel over n float32 elements, four per step: `prepare` (WAT) loads the step's inputs (at byte
 * $i of each pointer) and sets `$arg` and `$in`; then `step` above, with `finish` storing the outputs.
 * Returns how many elements it listed at fix.
 */
function kernel({ name, pointers, locals, init, prepare, body, finish }) {
  const params = pointers.map((p) => `(param $${p} i32)`).join(' ');
  return `
  (func (export "${name}") ${params} (param $n i32) (param $tab i32) (param $fix i32) (result i32)
    ${commonLocals} ${locals}
    ${commonInit}
    ${init}
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (br_if $done (i32.eqz (local.get $n)))
      (loop $next
        ${prepare}
        ${step(body, finish, '(i32.shr_u (local.get $i) (i32.const 2))', '(local.get $n)')}
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br_if $next (i32.lt_u (local.get $i) (local.get $end)))))
    (local.get $count))`;
}

/** WAT loading the float32 vector at byte $i of pointer `p`. */
const at = (p) => `(v128.load (i32.add (local.get $${p}) (local.get $i)))`;
/** WAT storing `value` at byte $i of pointer `p`. */
const store = (p, value) => `(v128.store (i32.add (local.get $${p}) (local.get $i)) ${value})`;

/** The double at byte `addr` of lane `lane` loaded into that lane of `vec`. */
const loadLane = (lane, addr, vec) => `(v128.load64_lane ${lane} ${addr} ${vec})`;
/** Byte address of table entry `index` (an i32 lane of `from`), `shift` = log2 of its bytes. */
const entry = (from, lane, shift) =>
  `(i32.add (local.get $tab) (i32.shl (i32x4.extract_lane ${lane} (local.get ${from})) (i32.const ${shift})))`;

/** exp in doubles: its locals, their setup, the range test of a float32 `arg`, and the body ($v → $e). */
const exp = {
  locals:
    '(local $nf v128) (local $r v128) (local $r2 v128) (local $q v128) (local $ni v128) (local $s v128) ' +
    '(local $kLow v128) (local $kHigh v128) (local $kSteps v128) (local $kHi v128) (local $kLo v128) (local $k63 v128) (local $kBias v128)',
  init: `(local.set $kLow (f32x4.splat (f32.const ${expLow})))
    (local.set $kHigh (f32x4.splat (f32.const ${expHigh})))
    (local.set $kSteps (f64x2.splat (f64.const ${f64(expSteps / Math.LN2)})))
    (local.set $kHi (f64x2.splat (f64.const ${f64(stepHi)})))
    (local.set $kLo (f64x2.splat (f64.const ${f64(stepLo)})))
    (local.set $k63 (i32x4.splat (i32.const ${expSteps - 1})))
    (local.set $kBias (i64x2.splat (i64.const 1023)))`,
  inRange: (arg) => `(v128.and (f32x4.gt ${arg} (local.get $kLow)) (f32x4.lt ${arg} (local.get $kHigh)))`,
  body: `(local.set $nf (f64x2.nearest (f64x2.mul (local.get $v) (local.get $kSteps))))
        (local.set $r (f64x2.sub (f64x2.sub (local.get $v) (f64x2.mul (local.get $nf) (local.get $kHi))) (f64x2.mul (local.get $nf) (local.get $kLo))))
        (local.set $r2 (f64x2.mul (local.get $r) (local.get $r)))
        ;; e^r − 1 = r + r²(1/2 + r/6) + r⁴(1/24 + r/120)
        (local.set $q (f64x2.add
          (f64x2.add (local.get $r) (f64x2.mul (local.get $r2) (f64x2.add (f64x2.splat (f64.const 0.5)) (f64x2.mul (local.get $r) (f64x2.splat (f64.const ${f64(1 / 6)}))))))
          (f64x2.mul (f64x2.mul (local.get $r2) (local.get $r2)) (f64x2.add (f64x2.splat (f64.const ${f64(1 / 24)})) (f64x2.mul (local.get $r) (f64x2.splat (f64.const ${f64(1 / 120)})))))))
        (local.set $ni (i32x4.trunc_sat_f64x2_s_zero (local.get $nf)))
        ;; 2^(j/64) from the table, j = n mod 64; 2^k, k = n >> 6, straight from its bits
        (local.set $s (v128.and (local.get $ni) (local.get $k63)))
        (local.set $s ${loadLane(1, entry('$s', 1, 3), loadLane(0, entry('$s', 0, 3), '(local.get $s)'))})
        (local.set $s (f64x2.mul
          (i64x2.shl (i64x2.add (i64x2.extend_low_i32x4_s (i32x4.shr_s (local.get $ni) (i32.const 6))) (local.get $kBias)) (i32.const 52))
          (local.get $s)))
        (local.set $e (f64x2.add (local.get $s) (f64x2.mul (local.get $s) (local.get $q))))`,
};

const coefficientLocals = Array.from({ length: erfTerms }, (_, t) => `(local $c${t} v128)`).join(' ');
/** The erf coefficients of both lanes' grid points: pairs loaded from each lane's row, then regrouped by term. */
const loadCoefficients = Array.from({ length: erfTerms / 2 }, (_, p) => {
  const from = (lane) =>
    p === 0 ? `(local.get $row${lane})` : `(i32.add (local.get $row${lane}) (i32.const ${16 * p}))`;
  return `(local.set $pa (v128.load ${from(0)}))
        (local.set $pb (v128.load ${from(1)}))
        (local.set $c${2 * p} (i8x16.shuffle ${low} (local.get $pa) (local.get $pb)))
        (local.set $c${2 * p + 1} (i8x16.shuffle ${high} (local.get $pa) (local.get $pb)))`;
}).join('\n        ');
const c = (t) => `(local.get $c${t})`;
const fma = (a, b, x) => `(f64x2.add ${a} (f64x2.mul ${b} ${x}))`;

/** erf in doubles, as `exp` above. */
const erf = {
  locals:
    `(local $g v128) (local $d v128) (local $d2 v128) (local $row0 i32) (local $row1 i32) (local $pa v128) (local $pb v128) ${coefficientLocals} ` +
    '(local $kLimit v128) (local $kLimit64 v128) (local $kPerUnit v128) (local $kHalf v128) (local $kOffset v128) (local $kStep v128)',
  init: `(local.set $kLimit (f32x4.splat (f32.const ${erfLimit})))
    (local.set $kLimit64 (f64x2.splat (f64.const ${erfLimit})))
    (local.set $kPerUnit (f64x2.splat (f64.const ${erfPerUnit})))
    (local.set $kHalf (f64x2.splat (f64.const 0.5)))
    (local.set $kOffset (f64x2.splat (f64.const ${erfLimit * erfPerUnit})))
    (local.set $kStep (f64x2.splat (f64.const ${f64(1 / erfPerUnit)})))`,
  inRange: (arg) => `(f32x4.lt (f32x4.abs ${arg}) (local.get $kLimit))`,
  body: `;; the nearest grid point g, and d = v − x(g), exact
        (local.set $g (i32x4.trunc_sat_f64x2_s_zero (f64x2.add (f64x2.mul (f64x2.add (local.get $v) (local.get $kLimit64)) (local.get $kPerUnit)) (local.get $kHalf))))
        (local.set $d (f64x2.sub (local.get $v) (f64x2.mul (f64x2.sub (f64x2.convert_low_i32x4_s (local.get $g)) (local.get $kOffset)) (local.get $kStep))))
        (local.set $row0 ${entry('$g', 0, Math.log2(8 * erfTerms))})
        (local.set $row1 ${entry('$g', 1, Math.log2(8 * erfTerms))})
        ${loadCoefficients}
        (local.set $d2 (f64x2.mul (local.get $d) (local.get $d)))
        ;; Estrin's scheme, as erf.ts: ((c0 + c1 d) + d²(c2 + c3 d)) + d⁴((c4 + c5 d) + d²(c6 + c7 d))
        (local.set $e (f64x2.add
          (f64x2.add ${fma(c(0), c(1), '(local.get $d)')} (f64x2.mul (local.get $d2) ${fma(c(2), c(3), '(local.get $d)')}))
          (f64x2.mul (f64x2.mul (local.get $d2) (local.get $d2))
            (f64x2.add ${fma(c(4), c(5), '(local.get $d)')} (f64x2.mul (local.get $d2) ${fma(c(6), c(7), '(local.get $d)')})))))`,
};

/** dst = f(src), f one of the functions above. */
const plain = (name, f) =>
  kernel({
    name,
    pointers: ['src', 'dst'],
    locals: f.locals,
    init: f.init,
    prepare: `(local.set $arg ${at('src')})
        (local.set $in ${f.inRange('(local.get $arg)')})`,
    body: f.body,
    finish: store('dst', '(local.get $lo)'),
  });

/** The float32 constants of gelu: √½, ½, 1 and 2/√π, each rounded as the ops round their scalars. */
const geluLocals = '(local $kSqrtHalf v128) (local $kHalfF v128) (local $kOne v128) (local $kTwoOverSqrtPi v128)';
const geluInit = `(local.set $kSqrtHalf (f32x4.splat (f32.const ${Math.fround(Math.SQRT1_2)})))
    (local.set $kHalfF (f32x4.splat (f32.const 0.5)))
    (local.set $kOne (f32x4.splat (f32.const 1)))
    (local.set $kTwoOverSqrtPi (f32x4.splat (f32.const ${Math.fround(2 / Math.sqrt(Math.PI))})))`;
const k = (name) => `(local.get $k${name})`;

/**
 * gelu_f32(src, dst, erfDst, n, table, fix): dst = x·½ · (erf(x·√½) + 1), and erf(x·√½) in erfDst,
 * every float32 operation as the ops of the composite round it.
 */
const gelu = kernel({
  name: 'gelu_f32',
  pointers: ['src', 'dst', 'erfDst'],
  locals: `${erf.locals} ${geluLocals}`,
  init: `${erf.init}\n    ${geluInit}`,
  prepare: `(local.set $x ${at('src')})
        (local.set $arg (f32x4.mul (local.get $x) ${k('SqrtHalf')}))
        (local.set $in ${erf.inRange('(local.get $arg)')})`,
  body: erf.body,
  finish: `${store('erfDst', '(local.get $lo)')}
        ${store('dst', `(f32x4.mul (f32x4.mul (local.get $x) ${k('HalfF')}) (f32x4.add (local.get $lo) ${k('One')}))`)}`,
});

/**
 * gelu_grad_f32(src, dy, erfs, dst, n, table, fix): with b = x·√½ and erfs = erf(b), dst =
 * dy·(erf(b) + 1)·½ + dy·(x·½)·(exp(−b²)·2/√π)·√½, every float32 operation as the chain rule through
 * the composite's ops rounds it (the order of its products included).
 */
const geluGrad = kernel({
  name: 'gelu_grad_f32',
  pointers: ['src', 'dy', 'erfs', 'dst'],
  locals: `${exp.locals} ${geluLocals} (local $b v128) (local $g v128)`,
  init: `${exp.init}\n    ${geluInit}`,
  prepare: `(local.set $x ${at('src')})
        (local.set $b (f32x4.mul (local.get $x) ${k('SqrtHalf')}))
        (local.set $arg (f32x4.neg (f32x4.mul (local.get $b) (local.get $b))))
        (local.set $in ${exp.inRange('(local.get $arg)')})`,
  body: exp.body,
  finish: `(local.set $g ${at('dy')})
        ${store(
          'dst',
          `(f32x4.add
          (f32x4.mul (f32x4.mul (f32x4.mul (local.get $g) (f32x4.mul (local.get $x) ${k('HalfF')})) (f32x4.mul (local.get $lo) ${k('TwoOverSqrtPi')})) ${k('SqrtHalf')})
          (f32x4.mul (f32x4.mul (local.get $g) (f32x4.add ${at('erfs')} ${k('One')})) ${k('HalfF')}))`,
        )}`,
});

/**
 * softmax_exp_f32(src, dst, maxes, rows, n, table, fix): for each of `rows` rows of n float32 (n a
 * multiple of 4), the row's max m (NaN if it has one; written to maxes) and dst = exp(x − m), x − m
 * rounded to float32 as sub does. Lists the elements it leaves to the caller, as the kernels above.
 */
const softmaxExp = `
  (func (export "softmax_exp_f32") (param $src i32) (param $dst i32) (param $maxes i32) (param $rows i32) (param $n i32) (param $tab i32) (param $fix i32) (result i32)
    ${commonLocals} ${exp.locals} (local $row i32) (local $rowEnd i32) (local $mv v128) (local $mx f32)
    ${commonInit}
    ${exp.init}
    (local.set $end (i32.shl (i32.mul (local.get $rows) (local.get $n)) (i32.const 2)))
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $n))))
      (loop $nextRow
        (local.set $rowEnd (i32.add (local.get $row) (i32.shl (local.get $n) (i32.const 2))))
        ;; the row's max: NaN wins, as the max reduction (which of ±0 is kept does not change x − m's exp)
        (local.set $mv ${at('src').replace('$i', '$row')})
        (local.set $i (i32.add (local.get $row) (i32.const 16)))
        (block $maxDone
          (loop $maxNext
            (br_if $maxDone (i32.ge_u (local.get $i) (local.get $rowEnd)))
            (local.set $mv (f32x4.max (local.get $mv) ${at('src')}))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (br $maxNext)))
        (local.set $mx (f32.max (f32.max (f32x4.extract_lane 0 (local.get $mv)) (f32x4.extract_lane 1 (local.get $mv)))
          (f32.max (f32x4.extract_lane 2 (local.get $mv)) (f32x4.extract_lane 3 (local.get $mv)))))
        (f32.store (i32.add (local.get $maxes) (i32.div_u (local.get $row) (local.get $n))) (local.get $mx))
        (local.set $mv (f32x4.splat (local.get $mx)))
        (local.set $i (local.get $row))
        (loop $next
          (local.set $arg (f32x4.sub ${at('src')} (local.get $mv)))
          (local.set $in ${exp.inRange('(local.get $arg)')})
          ${step(exp.body, store('dst', '(local.get $lo)'), '(i32.shr_u (local.get $i) (i32.const 2))', '(i32.shr_u (local.get $end) (i32.const 2))')}
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br_if $next (i32.lt_u (local.get $i) (local.get $rowEnd))))
        (local.set $row (local.get $rowEnd))
        (br_if $nextRow (i32.lt_u (local.get $row) (local.get $end)))))
    (local.get $count))`;

/**
 * softmax_div_f32(dst, rows, n): each row of dst divided by its sum, summed in doubles in order from
 * its first element and rounded to float32 once, as the sum reduction does (n a multiple of 4).
 */
const softmaxDiv = `
  (func (export "softmax_div_f32") (param $dst i32) (param $rows i32) (param $n i32)
    (local $row i32) (local $rowEnd i32) (local $i i32) (local $end i32) (local $s f64) (local $total v128)
    ;; byte addresses, from the first row's
    (local.set $row (local.get $dst))
    (local.set $end (i32.add (local.get $dst) (i32.shl (i32.mul (local.get $rows) (local.get $n)) (i32.const 2))))
    (block $done
      (br_if $done (i32.or (i32.eqz (local.get $rows)) (i32.eqz (local.get $n))))
      (loop $nextRow
        (local.set $rowEnd (i32.add (local.get $row) (i32.shl (local.get $n) (i32.const 2))))
        (local.set $s (f64.promote_f32 (f32.load (local.get $row))))
        (local.set $i (i32.add (local.get $row) (i32.const 4)))
        (block $sumDone
          (loop $sumNext
            (br_if $sumDone (i32.ge_u (local.get $i) (local.get $rowEnd)))
            (local.set $s (f64.add (local.get $s) (f64.promote_f32 (f32.load (local.get $i)))))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $sumNext)))
        (local.set $total (f32x4.splat (f32.demote_f64 (local.get $s))))
        (local.set $i (local.get $row))
        (loop $divNext
          (v128.store (local.get $i) (f32x4.div (v128.load (local.get $i)) (local.get $total)))
          (local.set $i (i32.add (local.get $i) (i32.const 16)))
          (br_if $divNext (i32.lt_u (local.get $i) (local.get $rowEnd))))
        (local.set $row (local.get $rowEnd))
        (br_if $nextRow (i32.lt_u (local.get $row) (local.get $end)))))
    )`;

/**
 * The functions, each listing at fix the elements it leaves to the caller and returning their count:
 * `exp_f32` and `erf_f32(src, dst, n, table, fix)`, `gelu_f32`, `gelu_grad_f32` and `softmax_exp_f32`;
 * `softmax_div_f32` finishes the softmax once the caller has computed the listed elements.
 */
export const wat = [plain('exp_f32', exp), plain('erf_f32', erf), gelu, geluGrad, softmaxExp, softmaxDiv].join('\n');
