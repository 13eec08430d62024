#!/usr/bin/env bash
# The podman quickstart: the process quickstart's script on this directory's agent and services.
#
#   examples/quickstart-podman/import-image.sh   # once: builds the image on this machine
#   examples/quickstart-podman/run.sh            # agent, services, status, hello's answer
#   examples/quickstart-podman/run.sh --stop     # services stopped and deleted, agent stopped
set -euo pipefail
here=$(dirname "$0")
exec "$here/../quickstart/run.sh" --example examples/quickstart-podman "$@"
