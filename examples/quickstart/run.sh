#!/usr/bin/env bash
# Creates a context, changes it, reads it back the ways a Task step would. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"
cli="node ../../dist/cicdstatemgr.js --config config.yaml"
set -x
$cli --init-new demo-1 --init-app-config-file app.yaml --init-cicd-context-name dev --set state.appTag=1.0.0
$cli --id demo-1 --set 'state.approvedBy=ana|state.notes={{ shout(state.approvedBy) }}'
$cli --id demo-1 --generate pipelines.build.generators.command
$cli --id demo-1 --get state.build.command
$cli --id demo-1 --get state.notes
bash -c 'source localdata/cicdContextData.sh && echo "approved by $CICD_state__approvedBy"'
