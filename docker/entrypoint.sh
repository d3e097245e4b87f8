#!/bin/sh
# Load the bundled dataset on first start (when the store holds no graph yet), then run
# the command (gunicorn). `gcx stats` exits 3 when the graph is not loaded or the database
# is unreachable; in the second case `gcx load` fails too, the container exits, and the
# restart policy tries again.
set -eu

if ! gcx stats >/dev/null 2>&1; then
    echo "gcx: no graph loaded yet in the ${GCX_BACKEND:-embedded} store: loading ${GCX_DATASET}"
    gcx load
fi

exec "$@"
