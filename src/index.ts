// The public face of tapegrad: every export of ./exports, and the namespace as the default export
// (`import tg from 'tapegrad'` in the ESM and CommonJS builds).
import * as tapegrad from './exports';

export * from './exports';
/** The whole API as the default export: `import tg from 'tapegrad'` gives the same `tg` as `import * as tg from 'tapegrad'`. */
export default tapegrad;
