// `using tape = new GradientTape()` needs Symbol.dispose; older browsers lack it. Define it when
// absent, touching nothing else (no other global, no prototype).
const symbols = Symbol as unknown as { dispose?: symbol };
if (typeof symbols.dispose !== 'symbol') {
  Object.defineProperty(Symbol, 'dispose', {
    value: Symbol('Symbol.dispose'),
    configurable: false,
    writable: false,
    enumerable: false,
  });
}

// The published types declare the two global names the library needs (TypeScript's
// `esnext.disposable` lib declares the same, so the two merge): a consumer compiling with
// `lib: ["es2022", "dom"]` type-checks, and `Symbol.dispose` exists at run time (above).
declare global {
  interface SymbolConstructor {
    /** The method `using` calls at the end of its block (defined by tapegrad when absent). */
    readonly dispose: unique symbol;
  }
  /** An object `using` can hold: it has a `[Symbol.dispose]()` method. */
  interface Disposable {
    [Symbol.dispose](): void;
  }
}

/** `Symbol.dispose`, guaranteed to exist. */
export const DISPOSE: typeof Symbol.dispose = Symbol.dispose;
