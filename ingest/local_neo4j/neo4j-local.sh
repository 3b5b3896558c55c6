#!/usr/bin/env bash
# Run a real Neo4j Community server on loopback without Docker: the one launcher behind
# `idgraph neo4j start|stop|status` (and `idgraph demo`) and scripts/neo4j-local.
#
#   neo4j-local.sh start|stop|status|restart|fetch|reset|home|admin ARGS...
#
# The server is assembled from Maven Central (the runtime closure of
# org.neo4j:neo4j plus org.neo4j.client:neo4j-browser), cached under
# $NEO4J_LOCAL_DIR (default ${XDG_CACHE_HOME:-~/.cache}/idgraph; scripts/neo4j-local sets the
# repository's .neo4j-local/) and started with its own neo4j.conf. A second start reuses the
# cache and takes seconds.
# Environment: NEO4J_PASSWORD, NEO4J_USERNAME (informational), NEO4J_BOLT_PORT,
# NEO4J_HTTP_PORT, NEO4J_HEAP, NEO4J_PAGECACHE, NEO4J_LOCAL_DIR, NEO4J_DIST_DIR,
# NEO4J_HOME_DIR (run several servers side by side with distinct homes and ports).
set -euo pipefail

NEO4J_VERSION="${NEO4J_VERSION:-5.26.30}"
BROWSER_VERSION="${NEO4J_BROWSER_VERSION:-5.24.0}"
BASE="${NEO4J_LOCAL_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/idgraph}"
LIB="${NEO4J_DIST_DIR:-$BASE/dist}/$NEO4J_VERSION/lib"
HOME_DIR="${NEO4J_HOME_DIR:-$BASE/home}"
PIDFILE="$HOME_DIR/run/neo4j.pid"
LOGFILE="$HOME_DIR/logs/console.log"
BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
HTTP_PORT="${NEO4J_HTTP_PORT:-7474}"
USER_NAME="${NEO4J_USERNAME:-neo4j}"
PASSWORD="${NEO4J_PASSWORD:-idgraph-local}"
HEAP="${NEO4J_HEAP:-1g}"
PAGECACHE="${NEO4J_PAGECACHE:-512m}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

say() { printf 'neo4j-local: %s\n' "$*" >&2; }

fetch() {
  [ -f "$LIB/.complete" ] && return 0
  command -v mvn >/dev/null || { say "Maven (mvn) is needed to fetch Neo4j from Maven Central"; exit 1; }
  say "fetching Neo4j $NEO4J_VERSION and Browser $BROWSER_VERSION from Maven Central (once)"
  local work; work="$(mktemp -d)"
  cat >"$work/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.idgraph</groupId><artifactId>neo4j-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.neo4j</groupId><artifactId>neo4j</artifactId><version>$NEO4J_VERSION</version></dependency>
    <dependency><groupId>org.neo4j.client</groupId><artifactId>neo4j-browser</artifactId><version>$BROWSER_VERSION</version></dependency>
  </dependencies>
</project>
POM
  mkdir -p "$LIB"
  mvn -q -B -Dstyle.color=never -f "$work/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$LIB" >&2
  rm -rf "$work"
  touch "$LIB/.complete"
}

write_conf() {
  mkdir -p "$HOME_DIR"/{conf,data,logs,plugins,import,run}
  cat >"$HOME_DIR/conf/neo4j.conf" <<CONF
server.directories.data=$HOME_DIR/data
server.directories.logs=$HOME_DIR/logs
server.directories.plugins=$HOME_DIR/plugins
server.directories.import=$HOME_DIR/import
server.directories.run=$HOME_DIR/run
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.listen_address=127.0.0.1:$BOLT_PORT
server.http.listen_address=127.0.0.1:$HTTP_PORT
server.https.enabled=false
server.memory.heap.initial_size=$HEAP
server.memory.heap.max_size=$HEAP
server.memory.pagecache.size=$PAGECACHE
dbms.usage_report.enabled=false
dbms.security.auth_enabled=true
# A development and test server: keep two transaction log files, not two days of them (a day
# of benchmarks wrote 63 GB of logs and filled the disk).
db.tx_log.rotation.retention_policy=2 files
CONF
}

admin() {
  NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$HOME_DIR/conf" "$JAVA" -cp "$LIB/*" org.neo4j.cli.AdminTool "$@"
}

running() {
  [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

bolt_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$BOLT_PORT") 2>/dev/null
}

start() {
  if running; then say "already running (pid $(cat "$PIDFILE")) on bolt://127.0.0.1:$BOLT_PORT"; return 0; fi
  fetch
  write_conf
  # The initial password only takes effect before the system database exists;
  # a home from an earlier run keeps the password it was created with.
  if [ ! -d "$HOME_DIR/data/databases/system" ]; then
    admin dbms set-initial-password "$PASSWORD" >/dev/null
  fi
  local t0=$SECONDS
  nohup "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    --add-opens=java.base/java.lang=ALL-UNNAMED \
    -cp "$HOME_DIR/plugins/*:$LIB/*" org.neo4j.server.CommunityEntryPoint \
    --home-dir="$HOME_DIR" --config-dir="$HOME_DIR/conf" --console-mode \
    >"$LOGFILE" 2>&1 </dev/null &
  echo $! >"$PIDFILE"
  for _ in $(seq 1 240); do
    if grep -q "Started\." "$LOGFILE" 2>/dev/null && bolt_open; then
      say "started in $((SECONDS - t0)) s: bolt://127.0.0.1:$BOLT_PORT, browser http://127.0.0.1:$HTTP_PORT/browser/ (user $USER_NAME)"
      return 0
    fi
    if ! running; then say "Neo4j exited during start; last log lines:"; tail -n 30 "$LOGFILE" >&2; exit 1; fi
    sleep 0.5
  done
  say "Neo4j did not answer on bolt within 120 s; see $LOGFILE"; stop; exit 1
}

stop() {
  if ! running; then rm -f "$PIDFILE"; say "not running"; return 0; fi
  local pid; pid="$(cat "$PIDFILE")"
  kill -TERM "$pid"
  for _ in $(seq 1 120); do kill -0 "$pid" 2>/dev/null || { rm -f "$PIDFILE"; say "stopped"; return 0; }; sleep 0.5; done
  say "no clean exit after 60 s; killing"; kill -KILL "$pid" 2>/dev/null || true; rm -f "$PIDFILE"
}

status() {
  if running; then say "running (pid $(cat "$PIDFILE")) bolt://127.0.0.1:$BOLT_PORT"; else say "not running"; return 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  fetch) fetch ;;
  admin) shift; fetch; write_conf; admin "$@" ;;
  home) echo "$HOME_DIR" ;;
  reset) stop; rm -rf "$HOME_DIR"; say "data removed" ;;
  *) echo "usage: $0 start|stop|restart|status|fetch|reset|home|admin ARGS..." >&2; exit 2 ;;
esac
