// Initializers by name for the layers' options: TF.js's camelCase names (Keras's snake_case read too), or an
// Initializer as it is.
import { ArgumentError, describe } from '../core/errors';
import type { Initializer } from './initializers';
import {
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  lecunNormal,
  lecunUniform,
  ones,
  randomNormal,
  randomUniform,
  truncatedNormal,
  varianceScaling,
  zeros,
} from './initializers';

const BY_NAME: Record<string, () => Initializer> = {
  zeros,
  ones,
  glorotuniform: () => glorotUniform(),
  glorotnormal: () => glorotNormal(),
  heuniform: () => heUniform(),
  henormal: () => heNormal(),
  lecununiform: () => lecunUniform(),
  lecunnormal: () => lecunNormal(),
  randomnormal: () => randomNormal(),
  randomuniform: () => randomUniform(),
  truncatednormal: () => truncatedNormal(),
  // Keras's aliases
  uniform: () => randomUniform(),
  normal: () => randomNormal(),
  varianceScaling: () => varianceScaling(),
  variancescaling: () => varianceScaling(),
};

/** The names `getInitializer` takes (TF.js's camelCase; Keras's snake_case is read too). */
export const INITIALIZER_NAMES = [
  'zeros',
  'ones',
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'lecunUniform',
  'lecunNormal',
  'randomNormal',
  'randomUniform',
  'truncatedNormal',
  'varianceScaling',
] as const;

/** An initializer's name or the initializer itself. */
export type InitializerIdentifier = (typeof INITIALIZER_NAMES)[number] | Initializer;

/**
 * An initializer from a name (`'glorotUniform'`, `'glorot_uniform'`, `'zeros'` …) or as it is, else an
 * ArgumentError from `op` naming the option.
 */
export function getInitializer(op: string, option: string, v: unknown): Initializer {
  if (typeof v === 'string') {
    const make = Object.hasOwn(BY_NAME, v.replace(/_/g, '').toLowerCase())
      ? BY_NAME[v.replace(/_/g, '').toLowerCase()]
      : undefined;
    if (make) return make();
    throw new ArgumentError(`${op}: unknown ${option} ${describe(v)}; expected one of ${INITIALIZER_NAMES.join(', ')}`);
  }
  if (v !== null && typeof v === 'object' && typeof (v as Initializer).apply === 'function') return v as Initializer;
  throw new ArgumentError(`${op}: ${option} must be an initializer or its name, got ${describe(v)}`);
}
