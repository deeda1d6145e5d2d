// A named import of one field: esbuild inlines just this string into each bundle, so the built CLIs need no
// package.json beside them at run time (the image ships only dist/).
import { version } from '../../package.json';

/** The release of slackline these entry points were built from (package.json's `version`). */
export const SLACKLINE_VERSION: string = version;
