// Sources come as one tensor, an array or a record; results mirror that structure.
import { Tensor } from '../core/tensor';
import { Variable } from '../core/variable';

/** A tensor or a variable: what gradients can be taken with respect to. */
export type Source = Tensor | Variable;

/** One source, an array of sources, or a record of named sources. */
export type Sources = Source | readonly Source[] | { readonly [name: string]: Source };

/** The gradient structure for a given sources structure. */
export type GradientsOf<S, G = Tensor | null> = S extends Source
  ? G
  : S extends readonly Source[]
    ? G[]
    : { [K in keyof S]: G };

/** True for a Tensor or Variable. */
export function isSource(x: unknown): x is Source {
  return x instanceof Tensor || x instanceof Variable;
}

/** The sources in order, with a function that rebuilds the structure from one value per source. */
export function flattenSources<S extends Sources, G>(
  sources: S,
): { flat: unknown[]; rebuild: (values: G[]) => GradientsOf<S, G> } {
  if (isSource(sources)) return { flat: [sources], rebuild: (v) => v[0] as GradientsOf<S, G> };
  if (Array.isArray(sources)) return { flat: sources.slice(), rebuild: (v) => v as GradientsOf<S, G> };
  const keys = Object.keys(sources);
  const rec = sources as { readonly [name: string]: Source };
  return {
    flat: keys.map((k) => rec[k]),
    rebuild: (v) => Object.fromEntries(keys.map((k, i) => [k, v[i]])) as GradientsOf<S, G>,
  };
}
