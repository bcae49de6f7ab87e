/**
 * Reference data as plain functions over a store, one module per entity under ./domain/ (the
 * shared transaction and audit plumbing in ./domain/common.ts).
 */
export * from './domain/common.js';
export * from './domain/deputies.js';
export * from './domain/departments.js';
export * from './domain/committees.js';
export * from './domain/routing-rules.js';
export * from './domain/jurisdiction.js';
