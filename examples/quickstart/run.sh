#!/usr/bin/env bash
# Berth's quickstart, after the build (./mvnw -B -q -DskipTests package):
#
#   1. starts an agent on examples/quickstart/berth.toml, in the background, logging to
#      examples/quickstart/berth-data/agent.log, and waits until `bin/berth node` answers;
#   2. applies the services in examples/quickstart/services and waits until they run;
#   3. shows their status and asks the hello service for its greeting on its allocated port;
#   4. says what to try next. The agent keeps running, so that you can try the CLI on it.
#
#   examples/quickstart/run.sh --stop
#
# stops the quickstart's services (and waits until they have stopped), deletes them, and stops the
# agent. Stopping only the agent (kill PID) would leave the services running, as on a real node,
# where they are adopted by the next agent.
#
# Running it again while the agent runs reuses that agent; applying is idempotent.
# The podman quickstart runs this script with --example examples/quickstart-podman.
set -euo pipefail

usage() {
  cat <<'EOF'
usage: examples/quickstart/run.sh [--stop]
  (no option)  start the quickstart's agent and services, and leave them running
  --stop       stop and delete the quickstart's services, then stop its agent
  --example D  use the example in directory D (default examples/quickstart)
EOF
}

example=examples/quickstart
stop=false
while [ $# -gt 0 ]; do
  case "$1" in
    --stop) stop=true ;;
    --example)
      [ $# -ge 2 ] || { usage >&2; exit 2; }
      example=${2%/}
      shift
      ;;
    -h | --help) usage; exit 0 ;;
    *) echo "run.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

# The repository's root: berth.toml's relative paths start here.
cd "$(dirname "$0")/../.."
repo=$PWD
self=$example/run.sh
config=$example/berth.toml
services=$example/services
data=$example/berth-data # data_dir in berth.toml
pidfile=$data/agent.pid
log=$data/agent.log
socket=berth.sock # api.socket in berth.toml
berth=bin/berth
quickstart_jar=examples/target/berth-quickstart.jar

# Every bin/berth below talks to this agent, whatever BERTH_SOCKET the caller's shell has.
export BERTH_SOCKET=$repo/$socket

say() { printf '%s\n' "$*"; }
die() {
  printf 'run.sh: %s\n' "$*" >&2
  exit 1
}

show_log_tail() {
  if [ -f "$log" ]; then
    say "--- the last lines of $log:" >&2
    tail -n 30 "$log" >&2
    say "---" >&2
  fi
}

# The pid of the agent this script started, if it still runs: the pid file alone could name a
# process that reused the pid, so its command line must name our config too.
agent_pid() {
  local pid args
  [ -f "$pidfile" ] || return 1
  pid=$(cat "$pidfile")
  case "$pid" in '' | *[!0-9]*) return 1 ;; esac
  args=$(ps -p "$pid" -o args= 2>/dev/null) || return 1
  case "$args" in *"$config"*) printf '%s\n' "$pid" ;; *) return 1 ;; esac
}

answers() { "$berth" node >/dev/null 2>&1; }

# The service names declared in the example: the first top-level `name` of each file.
service_names() {
  local file
  for file in "$services"/*.toml; do
    sed -n 's/^name[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$file" | head -n 1
  done
}

# Whether any component of service $1 is observed running.
runs() {
  local json
  json=$("$berth" status "$1" --json 2>/dev/null) || return 1 # exit 4: not declared
  printf '%s\n' "$json" | grep -qE '"state"[[:space:]]*:[[:space:]]*"running"'
}

# The host port allocated to the first route of service $1 ("" if none yet). `status --json` is
# the API's Service message; the pattern accepts its field with either JSON naming.
route_port() {
  local json
  json=$("$berth" status "$1" --json 2>/dev/null) || return 0
  printf '%s\n' "$json" | grep -oE '"host_?[pP]ort"[[:space:]]*:[[:space:]]*"?[0-9]+' \
    | sed -n '1s/.*[^0-9]\([0-9][0-9]*\)$/\1/p' || true
}

http_get() {
  if command -v curl >/dev/null 2>&1; then
    curl -fs --max-time 5 "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -T 5 -O - "$1" 2>/dev/null
  else
    return 2
  fi
}

stop_quickstart() {
  local pid name names deadline
  if ! pid=$(agent_pid); then
    rm -f "$pidfile"
    say "No quickstart agent of $example is running: nothing to stop."
    return 0
  fi
  if answers; then
    names=$(service_names)
    for name in $names; do
      say "\$ bin/berth stop $name"
      "$berth" stop "$name" >/dev/null || true # exit 4: not declared (any more); fine
    done
    # Deleting removes the workloads, but no status shows that any more: stop first, and wait
    # until nothing runs, so that the agent cannot leave a running service behind.
    deadline=$((SECONDS + 60))
    for name in $names; do
      while runs "$name"; do
        [ "$SECONDS" -lt "$deadline" ] || die "$name still runs after 60 s; see bin/berth events $name"
        sleep 0.5
      done
    done
    for name in $names; do
      say "\$ bin/berth delete $name"
      "$berth" delete "$name" >/dev/null || true
    done
  else
    say "The agent (pid $pid) does not answer; stopping it without touching its services." >&2
  fi
  say "Stopping the agent (pid $pid)"
  kill -TERM "$pid"
  deadline=$((SECONDS + 30))
  while kill -0 "$pid" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || die "the agent (pid $pid) is still running 30 s after SIGTERM"
    sleep 0.2
  done
  rm -f "$pidfile"
  say "Stopped. Start over from nothing with: rm -rf $data && $self"
}

[ -f "$config" ] || die "no $config (run this script from a Berth checkout)"
if [ "$stop" = true ]; then
  stop_quickstart
  exit 0
fi

[ -x "$berth" ] || die "no $berth (run this script from a Berth checkout)"
for built in runner/target/berth.jar "$quickstart_jar"; do
  [ -f "$built" ] || die "$built is missing: build first with ./mvnw -B -q -DskipTests package"
done
# The java the services' `executable = "java"` finds: the agent's PATH, inherited by its processes.
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  java=$JAVA_HOME/bin/java
elif java=$(command -v java); then
  :
else
  die "no java: install a JDK 17 or newer, or set JAVA_HOME"
fi
# A root agent refuses a data directory that other users can read or write (its registry and
# keys are there); search permission stays, so nginx's workers reach the certificates.
mkdir -p "$data"
chmod 0711 "$data"

# ---- 1. the agent ----
if pid=$(agent_pid); then
  say "The quickstart agent is already running (pid $pid); using it."
elif answers; then
  die "another Berth agent answers on ./$socket; stop it first (examples/quickstart/run.sh --stop or examples/quickstart-podman/run.sh --stop, if it is a quickstart's)"
else
  if [ -S "$socket" ]; then
    rm -f "$socket" # left by an agent that was killed: nobody answers on it
  fi
  say "\$ bin/berth agent --config $config   (in the background, logging to $log)"
  echo "--- $(date '+%Y-%m-%d %H:%M:%S') run.sh starts the agent" >>"$log"
  # CLASSPATH and PATH are for the services' processes, which inherit the agent's environment:
  # `java` and HelloServer are found by name. The agent runs with `java -jar`, which ignores
  # CLASSPATH. nohup: closing this terminal does not stop the agent.
  CLASSPATH=$repo/$quickstart_jar PATH="$(dirname "$java"):$PATH" \
    nohup "$berth" agent --config "$config" >>"$log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$pidfile"
  deadline=$((SECONDS + 60))
  until answers; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$pidfile"
      show_log_tail
      die "the agent exited while starting; its log is above"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      show_log_tail
      die "the agent (pid $pid) did not answer on ./$socket within 60 s; it still runs: kill $pid"
    fi
    sleep 0.5
  done
  say "The agent answers (pid $pid)."
fi
"$berth" node

# ---- 2. the services ----
say
say "\$ bin/berth apply -f $services --wait"
if ! "$berth" apply -f "$services" --wait --timeout 2m; then
  "$berth" status || true
  show_log_tail
  die "the services did not all come up: see above, bin/berth events, and bin/berth logs SERVICE"
fi

# ---- 3. what runs ----
say
say "\$ bin/berth status"
"$berth" status

port=$(route_port hello)
url=http://127.0.0.1:${port:-PORT}/
if [ -z "$port" ]; then
  say "run.sh: no port of hello in 'bin/berth status hello --json'; see bin/berth status hello" >&2
else
  say
  say "\$ curl $url"
  deadline=$((SECONDS + 20))
  until http_get "$url"; do
    status=$?
    if [ "$status" -eq 2 ]; then
      say "(neither curl nor wget is installed: open $url in a browser)"
      break
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      say "run.sh: hello does not answer on $url; see bin/berth logs hello" >&2
      break
    fi
    sleep 0.5
  done
fi

# ---- 4. what next ----
cat <<EOF

Berth runs the services of $services. Try:
  bin/berth status                   what runs: state, version, uptime, ports
  curl $url      ask hello yourself
  bin/berth logs hello               hello's output: a line per request
EOF
if [ -f "$services/greeter.toml" ]; then
  say "  bin/berth logs greeter worker -f   the worker's ticks as they come (Ctrl-C ends)"
fi
cat <<EOF
  bin/berth stop hello               declared stopped: it stops, and stays stopped
  bin/berth start hello              declared running again
  bin/berth events hello             what Berth did, and why
  bin/berth node                     the agent: runtimes, loops, readiness
  curl -s http://127.0.0.1:9464/metrics | grep ^workqueue_depth

The agent keeps running as pid $(cat "$pidfile"), logging to $log.
To stop the services and then the agent:
  $self --stop
(\`kill $(cat "$pidfile")\` would stop only the agent: its services keep running, as on a real node,
and the next agent adopts them.)
EOF
