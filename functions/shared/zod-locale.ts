import * as z from 'zod/mini';
import { en } from 'zod/locales';

// zod/mini loads no locale: without one every default message reads "Invalid input" (classic
// zod set English itself). Every module that parses with zod imports this one for its effect,
// so the messages do not depend on which module happened to load first; ESM evaluates it once.
// `en` is imported by name: `z.locales.en` would pull every locale into the bundle
// (docs/performance.md, "Cold start").
z.config(en());
