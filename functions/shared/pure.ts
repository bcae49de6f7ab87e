/**
 * Builds a module-level value (a zod schema, a shape of one) at import, as writing it bare does.
 * Every such value in a schemas module is written `/* @__PURE__ *\/ pure(() => …)`: the mark
 * tells esbuild the call has no effect beyond its value, and since its one argument is a function
 * (which has none either), a bundle that never reads the value leaves the whole definition out.
 * A function then builds at its cold start only the schemas it uses, whichever schemas module or
 * route contract it imports them through (docs/performance.md "Cold start").
 *
 * Needed because a zod/mini schema with a constraint is a method call (`z.string().check(…)`),
 * and a helper like `text(200)` a call, both of which esbuild must assume have side effects (it
 * does not carry zod's own annotations across modules either): without this, every function
 * that imported one schema of a module built all of the module's schemas at every cold start.
 * Nothing is deferred: a schema a function uses is built at import, as before. eslint.config.js
 * requires the form for every top-level value built by a call in a schemas module.
 */
export const pure = <T>(build: () => T): T => build();
