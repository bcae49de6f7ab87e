// zod's own entry (`zod/index.js`), over the trimmed member list of `external.ts`.
import * as z from './external.js';
export * from './external.js';
export { z, z as default };
