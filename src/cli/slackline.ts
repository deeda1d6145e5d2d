#!/usr/bin/env node
// The gateway's entry point. The gateway itself is not built yet (see the issue tracker); say so plainly
// rather than pretend to listen.
process.stderr.write('slackline: the Slack gateway is not part of this release yet; cicdstatemgr is.\n');
process.exitCode = 1;
