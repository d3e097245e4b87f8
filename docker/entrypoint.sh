#!/bin/sh
# Load the bundled dataset on first start, then run the command (gunicorn).
#
# `gcx load --if-empty` checks and loads in one process, and the check is part of the
# load itself: it loads only when the store holds no graph, and never replaces one (an
# operator's own data survives every restart). When the database is unreachable (Neo4j
# still starting after a reboot) it exits 3 and loads nothing: this script exits with
# it, and the restart policy tries again. `gcx stats` tells the two apart for scripts:
# exit 5 "no graph loaded yet", exit 3 "unavailable".
set -eu

gcx load --if-empty

exec "$@"
