// bench/click-growth.ts still imports the seeding from here; the tests import seed-context.ts. Delete this file
// once the bench does too.
export { seedContext, storedChoice, type SeededChoice, type SeedSpec } from './seed-context';
