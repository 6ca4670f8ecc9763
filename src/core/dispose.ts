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

/** `Symbol.dispose`, guaranteed to exist. */
export const DISPOSE: typeof Symbol.dispose = Symbol.dispose;
