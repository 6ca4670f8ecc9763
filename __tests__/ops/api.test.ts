// The one op list (src/ops/api.ts) is what the package exports, what Tensor and Variable have as
// methods, and what docs/ops.md lists: none of them can drift from it.
import * as fs from 'node:fs';
import * as tg from '../../src';
import * as api from '../../src/ops/api';
import { creationOps, methodNames } from '../../src/ops/methods';

const { opTable, families, outFile } = require('../../scripts/op-table.js') as {
  opTable: () => string;
  families: () => { name: string; ops: string[] }[];
  outFile: string;
};

const ops = Object.keys(api);

test('the package exports every op of the list, as the same function', () => {
  const exported = tg as unknown as Record<string, unknown>;
  const listed = api as unknown as Record<string, unknown>;
  expect(ops.length).toBeGreaterThan(90);
  for (const name of ops) expect([name, exported[name]]).toEqual([name, listed[name]]);
});

test('every op but the creation functions is a method of Tensor and Variable', () => {
  const x = tg.tensor([1, -2]);
  const v = new tg.Variable([1, -2]);
  for (const name of methodNames) {
    expect([name, typeof (x as unknown as Record<string, unknown>)[name]]).toEqual([name, 'function']);
    expect([name, typeof (v as unknown as Record<string, unknown>)[name]]).toEqual([name, 'function']);
  }
  expect(methodNames).not.toContain('zeros');
  // functions only: the creation ops, and those whose first argument is not one tensor
  expect(ops.filter((n) => !methodNames.includes(n)).sort()).toEqual(
    [...creationOps, 'clipByGlobalNorm', 'einsum', 'meshgrid', 'scatterND'].sort(),
  );
  // a method is the op with the receiver first
  expect(Array.from(x.abs().dataSync())).toEqual([1, 2]);
  expect(Array.from(v.maximum(0).dataSync())).toEqual([1, 0]);
});

test('the families of the op table hold every op once', () => {
  const listed = families().flatMap((f) => f.ops);
  expect(listed.slice().sort()).toEqual(ops.slice().sort());
  expect(new Set(listed).size).toBe(listed.length);
});

test('docs/ops.md is the table generated from the list (run node scripts/op-table.js)', () => {
  expect(fs.readFileSync(outFile, 'utf8')).toBe(opTable());
});
