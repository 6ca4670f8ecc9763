// The TSDoc examples run here, against the built package, as the Markdown docs' examples do in docs.test.ts:
// every `@example` of a `/** … */` comment in src/**/*.ts is one test (named file:line), run with `tg` bound to
// dist/index.cjs. A line `<expression>; // <value>` (or `const v = <expression>; // <value>`) must give that
// value; a comment that is prose (`// J·t`) is not compared, and one that starts like a value but does not
// parse as one fails the test, as does a promised value the example never reaches.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist', 'index.cjs');

interface Example {
  file: string;
  line: number;
  code: string;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(path.join(root, dir), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) =>
      e.isDirectory() ? sourceFiles(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
    );
}

/** Every comment of a parsed file or example, once each, found before and after each of its tokens. */
function commentsOf(sf: ts.SourceFile): ts.CommentRange[] {
  const found = new Map<number, ts.CommentRange>();
  const visit = (node: ts.Node) => {
    const ranges = [
      ...(ts.getLeadingCommentRanges(sf.text, node.pos) ?? []),
      ...(ts.getTrailingCommentRanges(sf.text, node.end) ?? []),
    ];
    for (const r of ranges) found.set(r.pos, r);
    node.getChildren(sf).forEach(visit);
  };
  visit(sf);
  return [...found.values()].sort((a, b) => a.pos - b.pos);
}

/** The `@example` blocks of a file's TSDoc: the text after the tag up to the next `@tag` or the comment's end. */
function examplesOf(file: string): Example[] {
  const text = fs.readFileSync(path.join(root, file), 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const examples: Example[] = [];
  for (const c of commentsOf(sf)) {
    const comment = text.slice(c.pos, c.end);
    if (!comment.startsWith('/**')) continue;
    // line by line, so that offsets in `body` keep their line numbers; the ` * ` margin is stripped
    const body = comment
      .slice(3, -2)
      .split('\n')
      .map((l, i) => (i === 0 ? l : l.replace(/^\s*\*( |$)/, '')))
      .join('\n');
    const firstLine = sf.getLineAndCharacterOfPosition(c.pos).line + 1;
    for (const m of body.matchAll(/@example\b/g)) {
      const rest = body.slice(m.index + m[0].length);
      const end = /(^|\s)@[a-zA-Z]/m.exec(rest);
      const line = firstLine + body.slice(0, m.index).split('\n').length - 1;
      examples.push({ file, line, code: (end ? rest.slice(0, end.index) : rest).trim() });
    }
  }
  return examples;
}

// ---- the values a comment can promise ----------------------------------------------------------------------

type Value =
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'array'; items: Value[]; typed?: string }
  | { kind: 'tensor'; values: Value; shape?: number[]; dtype?: string };

/** Does this comment text claim a value? Then it must parse as one. */
function looksLikeValue(text: string): boolean {
  return /^(-?\.?\d|true\b|false\b|NaN\b|-?Infinity\b|\[|Tensor\(|(Float32|Float64|Int32|Uint8)Array\b|'|")/.test(text);
}

/**
 * A value and, after it, nothing or one parenthesised explanation: `32  (4 + 10 + 18)`. Values are numbers,
 * `true`/`false`, `NaN`, `Infinity`, quoted strings, `[…]` arrays of values (a typed array as Node prints it:
 * `Float32Array [1, 2]`), and tensors as the library prints them: `Tensor(<value>, shape=[…], dtype=…)`, where
 * shape and dtype may be left out and `Tensor(12, …)` checks the value only.
 */
function parseValue(text: string): Value {
  let i = 0;
  const fail = (what: string): never => {
    throw new Error(`cannot read \`${text}\` as a value: ${what} at \`${text.slice(i) || 'the end'}\``);
  };
  const space = () => {
    while (text[i] === ' ') i++;
  };
  const take = (re: RegExp): string | null => {
    const m = re.exec(text.slice(i));
    if (!m) return null;
    i += m[0].length;
    return m[0];
  };
  const list = <T>(item: () => T): T[] => {
    if (take(/^\[ */) === null) fail('expected `[`');
    const items: T[] = [];
    if (take(/^\]/) !== null) return items;
    for (;;) {
      items.push(item());
      space();
      if (take(/^\]/) !== null) return items;
      if (take(/^, */) === null) fail('expected `,` or `]`');
    }
  };
  const value = (): Value => {
    const typed = take(/^(Float32|Float64|Int32|Uint8)Array(\(\d+\))? (?=\[)/);
    if (typed !== null) return { kind: 'array', items: list(value), typed: typed.replace(/[( ].*$/, '') };
    if (text[i] === '[') return { kind: 'array', items: list(value) };
    if (take(/^Tensor\(/) !== null) {
      const t: Value = { kind: 'tensor', values: value() };
      if (take(/^, (…|\.\.\.)\)/) !== null) return t;
      if (take(/^, shape=/) !== null) t.shape = list(() => Number(take(/^\d+/) ?? fail('expected a dimension')));
      if (take(/^, dtype=/) !== null) t.dtype = take(/^\w+/) ?? fail('expected a dtype');
      if (take(/^\)/) === null) fail('expected `)`, `, shape=[…]`, `, dtype=…` or `, …)`');
      return t;
    }
    const quoted = take(/^'[^']*'|^"[^"]*"/);
    if (quoted !== null) return { kind: 'string', value: quoted.slice(1, -1) };
    const word = take(/^(true|false|NaN|-?Infinity|-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?)(?![\w.])/i);
    if (word === 'true' || word === 'false') return { kind: 'bool', value: word === 'true' };
    if (word !== null) return { kind: 'number', value: Number(word) };
    return fail('expected a value');
  };
  const v = value();
  // what follows the value: nothing, or one parenthesised explanation reaching to the end
  const rest = text.slice(i);
  if (/^\s*$/.test(rest)) return v;
  if (!/^\s+\(/.test(rest)) fail('expected the end or a parenthesised explanation');
  const note = rest.trim();
  let depth = 0;
  for (let k = 0; k < note.length; k++) {
    depth += note[k] === '(' ? 1 : note[k] === ')' ? -1 : 0;
    if (depth === 0 && k < note.length - 1) fail('the parenthesised explanation ends before the comment does');
  }
  if (depth !== 0) fail('unbalanced parentheses in the explanation');
  return v;
}

// ---- comparing a value with what the comment promised -------------------------------------------------------

interface TensorLike {
  shape: readonly number[];
  dtype: string;
  dataSync(): ArrayLike<number>;
}

/** |got − want| ≤ 1e-6·(1 + |want|): float32 precision; NaN and ±Infinity exactly. */
function close(got: number, want: number): boolean {
  if (!Number.isFinite(want)) return Object.is(got, want);
  return Math.abs(got - want) <= 1e-6 * (1 + Math.abs(want));
}

/** The shape a nested array literal spells, and its elements in row-major order. */
function flatten(v: Value): { shape: number[]; leaves: Value[] } {
  if (v.kind === 'number' || v.kind === 'bool') return { shape: [], leaves: [v] };
  if (v.kind !== 'array' || v.typed)
    throw new Error('a tensor is compared with numbers, booleans or [ ] arrays of them');
  const parts = v.items.map(flatten);
  const inner = parts[0]?.shape ?? [];
  if (parts.some((p) => p.shape.join() !== inner.join())) throw new Error('a ragged array cannot be a tensor');
  return { shape: [v.items.length, ...inner], leaves: parts.flatMap((p) => p.leaves) };
}

function tensorMismatch(t: TensorLike, values: Value): string | null {
  let shape: number[], leaves: Value[];
  try {
    ({ shape, leaves } = flatten(values));
  } catch (e) {
    return (e as Error).message;
  }
  if (shape.join() !== t.shape.join()) return `its shape is [${t.shape.join(', ')}], not [${shape.join(', ')}]`;
  const data = t.dataSync();
  for (let k = 0; k < leaves.length; k++) {
    const want = leaves[k] as Extract<Value, { kind: 'number' | 'bool' }>;
    if ((want.kind === 'bool') !== (t.dtype === 'bool'))
      return `its dtype is ${t.dtype}, the comment has ${want.kind}s`;
    if (want.kind === 'bool' ? data[k] !== Number(want.value) : !close(data[k], want.value))
      return `element ${k} is ${data[k]}, not ${String(want.value)}`;
  }
  return null;
}

function mismatch(got: unknown, want: Value, Tensor: new (...a: never[]) => TensorLike): string | null {
  if (want.kind === 'tensor') {
    if (!(got instanceof Tensor)) return 'it is not a Tensor';
    if (want.shape && want.shape.join() !== got.shape.join()) return `its shape is [${got.shape.join(', ')}]`;
    if (want.dtype && want.dtype !== got.dtype) return `its dtype is ${got.dtype}`;
    return tensorMismatch(got, want.values);
  }
  if (got instanceof Tensor) return tensorMismatch(got, want);
  switch (want.kind) {
    case 'number':
      if (typeof got !== 'number') return 'it is not a number';
      return close(got, want.value) ? null : `it differs by more than 1e-6·(1 + |${want.value}|)`;
    case 'bool':
    case 'string':
      return got === want.value ? null : `it is not the ${want.kind} ${show(want.value)}`;
    case 'array': {
      const typedName = ArrayBuffer.isView(got) ? got.constructor.name : undefined;
      if (want.typed && typedName !== want.typed) return `it is not a ${want.typed}`;
      if (!Array.isArray(got) && typedName === undefined) return 'it is not an array';
      const items = Array.from(got as ArrayLike<unknown>);
      if (items.length !== want.items.length) return `it has ${items.length} elements, not ${want.items.length}`;
      for (let k = 0; k < items.length; k++) {
        const m = mismatch(items[k], want.items[k], Tensor);
        if (m !== null) return `at [${k}]: ${m}`;
      }
      return null;
    }
  }
}

function show(x: unknown): string {
  if (Array.isArray(x)) return `[${x.map(show).join(', ')}]`;
  if (ArrayBuffer.isView(x))
    return `${x.constructor.name} [${Array.from(x as unknown as ArrayLike<number>).join(', ')}]`;
  if (typeof x === 'string') return JSON.stringify(x);
  return String(x);
}

// ---- running an example ----------------------------------------------------------------------------------------

interface Check {
  line: number;
  source: string;
  comment: string;
  want: Value;
}

/**
 * The example as JavaScript, each promised value wrapped: `e; // v` becomes `__check(k, e);` and
 * `const x = e; // v` becomes `const x = __check(k, e);`, so the example runs as written.
 */
function instrument(code: string): { js: string; checks: Check[] } {
  const sf = ts.createSourceFile('example.ts', code, ts.ScriptTarget.Latest, true);
  const checked = new Map<number, ts.Expression>(); // by the position of the comment that follows it
  const visit = (node: ts.Node) => {
    let target: ts.Expression | undefined;
    if (ts.isExpressionStatement(node)) target = node.expression;
    else if (ts.isVariableStatement(node) && node.declarationList.declarations.length === 1)
      target = node.declarationList.declarations[0].initializer;
    const after = ts.getTrailingCommentRanges(code, node.end)?.[0];
    if (target && after) checked.set(after.pos, target);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  const targets = new Map<string, number>(); // by `pos:end:kind`, the same in transpileModule's own parse
  const key = (node: ts.Node) => `${node.pos}:${node.end}:${node.kind}`;
  const checks: Check[] = [];
  for (const c of commentsOf(sf)) {
    if (c.kind !== ts.SyntaxKind.SingleLineCommentTrivia) continue;
    const comment = code.slice(c.pos + 2, c.end).trim();
    if (!looksLikeValue(comment)) continue;
    const line = sf.getLineAndCharacterOfPosition(c.pos).line + 1;
    const target = checked.get(c.pos);
    if (!target) throw new Error(`line ${line}: \`// ${comment}\` promises a value but follows no statement`);
    targets.set(key(target), checks.length);
    checks.push({ line, source: target.getText(sf), comment, want: parseValue(comment) });
  }
  const f = ts.factory;
  const wrap: ts.TransformerFactory<ts.SourceFile> = (context) => (file) => {
    const visitor = (node: ts.Node): ts.Node => {
      const k = targets.get(key(node));
      const inner = ts.visitEachChild(node, visitor, context);
      if (k === undefined) return inner;
      return f.createCallExpression(f.createIdentifier('__check'), undefined, [
        f.createNumericLiteral(k),
        inner as ts.Expression,
      ]);
    };
    return ts.visitEachChild(file, visitor, context);
  };
  const out = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, alwaysStrict: true },
    reportDiagnostics: true,
    transformers: { before: [wrap] },
  });
  if (out.diagnostics?.length)
    throw new Error(out.diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  return { js: out.outputText, checks };
}

function run(example: Example): void {
  const { js, checks } = instrument(example.code);
  let tg!: { Tensor: new (...a: never[]) => TensorLike };
  jest.isolateModules(() => {
    tg = require(dist); // a fresh copy for each example: nothing one leaves behind reaches the next
  });
  const reached = checks.map(() => false);
  const check = (k: number, got: unknown) => {
    const c = checks[k];
    reached[k] = true;
    const m = mismatch(got, c.want, tg.Tensor);
    if (m !== null) throw new Error(`line ${c.line}: \`${c.source}\` gives ${show(got)}, not \`${c.comment}\`: ${m}`);
    return got;
  };
  const printed: string[] = [];
  const fakeConsole = Object.fromEntries(
    ['log', 'info', 'warn', 'error', 'debug'].map((k) => [
      k,
      (...a: unknown[]) => printed.push(a.map(String).join(' ')),
    ]),
  );
  const fakeRequire = (name: string) => {
    if (name === 'tapegrad') return tg;
    throw new Error(`TSDoc examples may only import tapegrad, not ${name}`);
  };
  // in a block of its own, so that an example's `import * as tg from 'tapegrad'` may shadow the parameter
  const body = `'use strict';\n{\n${js}\n}`;
  try {
    new Function('tg', 'require', 'console', 'exports', '__check', body)(tg, fakeRequire, fakeConsole, {}, check);
    checks.forEach((c, k) => {
      if (!reached[k])
        throw new Error(`line ${c.line}: \`${c.source}\` never ran, so \`// ${c.comment}\` is unchecked`);
    });
  } catch (e) {
    if (e instanceof Error && printed.length > 0) e.message += `\nthe example printed:\n${printed.join('\n')}`;
    throw e;
  }
}

// ---- the tests ---------------------------------------------------------------------------------------------------

const files = sourceFiles('src');
const examples = files.flatMap(examplesOf);

test('every @example in src is found, and there are many', () => {
  const inText = files.map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8').match(/@example\b/g)?.length ?? 0]);
  const found = files.map((f) => [f, examples.filter((e) => e.file === f).length]);
  expect(found).toEqual(inText);
  expect(examples.length).toBeGreaterThan(100);
});

const num = (value: number): Value => ({ kind: 'number', value });
test.each([
  ['32  (4 + 10 + 18)', num(32)],
  ['[[1], [-2.5e-3]]', { kind: 'array', items: [num(1), num(-0.0025)].map((v) => ({ kind: 'array', items: [v] })) }],
  ['Tensor(12, …)  (3x²)', { kind: 'tensor', values: num(12) }],
  [
    'Tensor([true], shape=[1], dtype=bool)',
    { kind: 'tensor', values: { kind: 'array', items: [{ kind: 'bool', value: true }] }, shape: [1], dtype: 'bool' },
  ],
  ['Float32Array [NaN, -Infinity]', { kind: 'array', items: [num(NaN), num(-Infinity)], typed: 'Float32Array' }],
  ["'a (b)'  (a string)", { kind: 'string', value: 'a (b)' }],
])('the value comment `%s` parses', (text, want) => {
  expect(parseValue(text)).toEqual(want);
});

test.each(['24 (2xy), 10 (x² + 1)', '12, [4, 3]', '[x, y]', '3x²', '[1, 2', 'Tensor(1, shape=[2)', '0.5 exactly'])(
  'the value comment `%s` is refused',
  (text) => {
    expect(looksLikeValue(text)).toBe(true);
    expect(() => parseValue(text)).toThrow(/cannot read/);
  },
);

test.each(examples.map((e) => [`${e.file}:${e.line}`, e] as const))('%s', (_where, example) => {
  run(example);
});
