#!/usr/bin/env bash
# Smoke test of the two images, run the way the cluster runs them (CI runs it after
# scripts/build-images.sh). Bounded (every wait has a deadline; a few minutes in all) and
# loopback only: the script re-runs itself in a new network namespace that has nothing but `lo`,
# so neither the containers nor anything else here can reach, or be reached from, the network.
#
#   scripts/smoke-images.sh
#
# 1. The embedded API (local-lattice's EmbeddedApiMain) starts on 127.0.0.1.
# 2. The operator image starts as the chart runs it: uid 65532, read-only root, all capabilities
#    dropped, no privilege escalation, /tmp a small tmpfs (the chart's emptyDir), the chart's
#    default environment, a kubeconfig for the embedded API. It must serve /healthz, /readyz and
#    /metrics, and reconcile examples/dual-node.yaml: both LatticeNodes get a status, and their
#    Deployments, ConfigMaps and the lattice Secret are created.
# 3. The node image starts, twice, as the Deployments the operator created say: their user and
#    group, read-only root, no capabilities, the "state" volume (a podman volume) at the pod's
#    mount path, /tmp as a tmpfs, the environment from the rendered <node>-config ConfigMap and
#    the lattice Secret. Changed because every container shares one loopback (no pod network, no
#    cluster DNS): ports, bind address 127.0.0.1 and the peer URLs (loopback instead of Service
#    names). Both must answer /health and sync an entry over P2P.
# 4. P2P is switched off in both LatticeNodes; the operator re-renders their ConfigMaps, and both
#    containers are replaced (a rollout) on the same volumes: the state written before must be
#    there, and a new entry must sync over HTTP alone.
# Each check prints PASS or FAIL; the script exits 1 when one failed, naming it.
#
# Needs: root or sudo (podman, a network namespace), podman + runc, java 17, kubectl, curl, jq, python3,
# the images (scripts/build-images.sh) and local-lattice/target/local-lattice.jar (./mvnw package).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

if [ -z "${LATTICE_SMOKE_NETNS:-}" ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  exec $sudo env LATTICE_SMOKE_NETNS=1 OPERATOR_IMAGE="${OPERATOR_IMAGE:-}" NODE_IMAGE="${NODE_IMAGE:-}" \
    LATTICE_IMAGE_TAG="${LATTICE_IMAGE_TAG:-}" \
    unshare --net -- bash -c 'ip link set lo up && exec "$0" "$@"' "$0" "$@"
fi

TAG="${LATTICE_IMAGE_TAG:-0.1.0}"
OPERATOR_IMAGE="${OPERATOR_IMAGE:-localhost/diotec360/lattice-operator:$TAG}"
NODE_IMAGE="${NODE_IMAGE:-localhost/diotec360/lattice-node:$TAG}"
LOCAL_JAR=local-lattice/target/local-lattice.jar
NS=default
NODES=(node1-huggingface node2-local)
START=$(date +%s)
RUN_ID="lattice-smoke-$$"
WORK="$(mktemp -d)"
chmod 755 "$WORK"
failures=()

say() { printf '[smoke %4ss] %s\n' "$(( $(date +%s) - START ))" "$*"; }
pass() { printf 'PASS %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*"; failures+=("$*"); }
# A failure after which nothing else can be checked.
fatal() { fail "$*"; finish; }
podman() { command podman --runtime /usr/sbin/runc "$@"; }
LIMITS=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# until SECONDS COMMAND...: runs COMMAND every second until it succeeds; false after SECONDS.
until_ok() {
  local deadline=$(( $(date +%s) + $1 )); shift
  until "$@" >/dev/null 2>&1; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 1
  done
}
kc() { KUBECONFIG="$WORK/kubeconfig" kubectl "$@"; }

api_pid=""
cleanup() {
  trap - ERR
  set +e
  for c in $(podman ps -a --filter "name=^$RUN_ID-" --format '{{.Names}}'); do
    podman logs "$c" >>"$WORK/$c.log" 2>&1
    podman rm -f -t 5 "$c" >/dev/null 2>&1
  done
  for v in $(podman volume ls --filter "name=^$RUN_ID-" --format '{{.Name}}'); do
    podman volume rm -f "$v" >/dev/null 2>&1
  done
  [ -z "$api_pid" ] || { kill "$api_pid" 2>/dev/null; wait "$api_pid" 2>/dev/null; api_pid=""; }
}
finish() {
  cleanup
  say "finished in $(( $(date +%s) - START ))s"
  if [ "${#failures[@]}" -gt 0 ]; then
    printf 'smoke-images: %d check(s) failed:\n' "${#failures[@]}"
    printf '  - %s\n' "${failures[@]}"
    printf 'logs: %s\n' "$WORK"
    exit 1
  fi
  rm -rf "$WORK"
  echo "smoke-images: all checks passed"
  exit 0
}
set -E
trap 'fail "unexpected error at line $LINENO"; finish' ERR
trap 'fail "interrupted"; finish' INT TERM
trap cleanup EXIT

for need in java kubectl curl jq python3 /usr/sbin/runc; do
  command -v "$need" >/dev/null 2>&1 || fatal "tool $need is missing"
done
for image in "$OPERATOR_IMAGE" "$NODE_IMAGE"; do
  podman image exists "$image" || fatal "image $image is missing: run scripts/build-images.sh"
done
[ -f "$LOCAL_JAR" ] || fatal "$LOCAL_JAR is missing: ./mvnw -B -DskipTests package"

# ---- 1. the embedded API ---------------------------------------------------------------------
say "starting the embedded API"
java -cp "$LOCAL_JAR" com.diotec360.lattice.local.cli.EmbeddedApiMain --port 0 \
  --kubeconfig "$WORK/kubeconfig" >"$WORK/api.log" 2>&1 &
api_pid=$!
until_ok 60 grep -q '^embedded-api ready' "$WORK/api.log" || fatal "the embedded API did not start (see $WORK/api.log)"
chmod 644 "$WORK/kubeconfig"
say "$(grep '^embedded-api ready' "$WORK/api.log")"

# ---- 2. the operator image, as the chart runs it ---------------------------------------------
OP_PORT=$(free_port)
OP="http://127.0.0.1:$OP_PORT"
# The chart's defaults (charts/lattice-operator/values.yaml) for the variables it sets.
t0=$(date +%s%N)
podman run -d --name "$RUN_ID-operator" "${LIMITS[@]}" --network host \
  --user 65532:65532 --read-only --tmpfs /tmp:rw,size=64m --cap-drop ALL \
  --security-opt no-new-privileges --memory 512m \
  -v "$WORK/kubeconfig:/etc/lattice/kubeconfig:ro" -e KUBECONFIG=/etc/lattice/kubeconfig \
  -e POD_NAME=lattice-operator-smoke -e POD_NAMESPACE=lattice-system \
  -e LATTICE_WATCH_NAMESPACES= -e LATTICE_HTTP_PORT="$OP_PORT" \
  -e LATTICE_PROBE_INTERVAL_SECONDS=10 -e LATTICE_UNREACHABLE_AFTER_PROBES=3 \
  -e LATTICE_DIVERGENCE_GRACE_SECONDS=60 -e LATTICE_STARTUP_DEADLINE_SECONDS=600 \
  -e LATTICE_INVALID_SPEC_RECHECK_SECONDS=60 -e LATTICE_LOG_LEVEL=INFO -e LATTICE_LOG_FORMAT=json \
  -e LATTICE_LEADER_ELECTION=false \
  "$OPERATOR_IMAGE" >/dev/null
if until_ok 90 curl -sf "$OP/readyz"; then
  ready_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  pass "operator image: /readyz 200 ${ready_ms} ms after podman run (uid 65532, read-only root)"
else
  fatal "operator image: /readyz not 200 within 90 s (see $RUN_ID-operator.log in $WORK)"
fi
curl -sf "$OP/healthz" >/dev/null && pass "operator image: /healthz 200" || fail "operator image: /healthz not 200"
user=$(podman inspect --format '{{.Config.User}} ro={{.HostConfig.ReadonlyRootfs}}' "$RUN_ID-operator")
[ "$user" = "65532:65532 ro=true" ] && pass "operator container runs as $user" \
  || fail "operator container: expected 65532:65532 ro=true, got $user"

say "applying examples/dual-node.yaml"
kc create -f examples/dual-node.yaml >/dev/null || fatal "kubectl create -f examples/dual-node.yaml failed"
reconciled() {
  for n in "${NODES[@]}"; do
    [ -n "$(kc get ln "$n" -o jsonpath='{.status.phase}')" ] || return 1
    kc get deployment "$n" >/dev/null && kc get configmap "$n-config" >/dev/null || return 1
  done
  kc get secret diotec360-lattice-secret >/dev/null
}
if until_ok 60 reconciled; then
  pass "operator image reconciled dual-node.yaml: $(for n in "${NODES[@]}"; do printf '%s phase=%s ' "$n" \
    "$(kc get ln "$n" -o jsonpath='{.status.phase}')"; done)with Deployments, ConfigMaps, Secret"
else
  fatal "operator image: dual-node.yaml not reconciled within 60 s (LatticeNode status, Deployments, ConfigMaps, Secret)"
fi
if until_ok 30 sh -c "curl -sf '$OP/metrics' | grep -q '^lattice_node_up{.*node=\"node2-local\"'"; then
  pass "operator image: /metrics has lattice_node_up for the example's nodes"
else
  fail "operator image: /metrics has no lattice_node_up series for node2-local"
fi

# ---- 3. the node image, as the operator's Deployments run it ---------------------------------
TOKEN=$(kc get secret diotec360-lattice-secret -o jsonpath='{.data.token}' | base64 -d)
declare -A HTTP P2P
for n in "${NODES[@]}"; do HTTP[$n]=$(free_port); P2P[$n]=$(free_port); done
url() { echo "http://127.0.0.1:${HTTP[$1]}"; }
peer_of() { if [ "$1" = "${NODES[0]}" ]; then echo "${NODES[1]}"; else echo "${NODES[0]}"; fi; }
for n in "${NODES[@]}"; do podman volume create "$RUN_ID-$n-state" >/dev/null; done

# start_node NODE: one container as the node's Deployment (read from the API now) says.
start_node() {
  local n="$1" dep pod user group mount peers_dir
  dep=$(kc get deployment "$n" -o json)
  pod=$(jq '.spec.template.spec' <<<"$dep")
  user=$(jq -r '.securityContext.runAsUser' <<<"$pod")
  group=$(jq -r '.securityContext.runAsGroup' <<<"$pod")
  mount=$(jq -r '.containers[0].volumeMounts[] | select(.name == "state") | .mountPath' <<<"$pod")
  [ "$(jq -r '.containers[0].securityContext.readOnlyRootFilesystem' <<<"$pod")" = true ] \
    || fail "$n: the Deployment does not ask for a read-only root"
  # envFrom: the rendered config ConfigMap, as it is now.
  kc get configmap "$(jq -r '.containers[0].envFrom[0].configMapRef.name' <<<"$pod")" -o json \
    | jq -r '.data | to_entries[] | "\(.key)=\(.value)"' >"$WORK/$n.env"
  # The peer-list file the pod mounts read-only, with the peer's loopback URL.
  peers_dir="$WORK/$n-peers"; mkdir -p "$peers_dir"; chmod 755 "$peers_dir"
  url "$(peer_of "$n")" >"$peers_dir/peers"; chmod 644 "$peers_dir/peers"
  podman run -d --name "$RUN_ID-$n" "${LIMITS[@]}" --network host \
    --user "$user:$group" --read-only --tmpfs /tmp:rw,size=64m --cap-drop ALL \
    --security-opt no-new-privileges \
    -v "$RUN_ID-$n-state:$mount" -v "$peers_dir:/etc/lattice:ro" \
    --env-file "$WORK/$n.env" -e DIOTEC360_LATTICE_SECRET="$TOKEN" \
    -e DIOTEC360_HTTP_PORT="${HTTP[$n]}" -e DIOTEC360_P2P_PORT="${P2P[$n]}" \
    -e DIOTEC360_BIND_ADDRESS=127.0.0.1 -e DIOTEC360_LATTICE_NODES="$(url "$(peer_of "$n")")" \
    "$NODE_IMAGE" >/dev/null
  NODE_HOW="user $user:$group and state at $mount, as its Deployment says; read-only root"
}
stop_node() { podman logs "$RUN_ID-$1" >>"$WORK/$RUN_ID-$1.log" 2>&1; podman rm -f -t 10 "$RUN_ID-$1" >/dev/null; }
health() { curl -sf "$(url "$1")/health"; }
root_of() { curl -sf "$(url "$1")/api/lattice/state" | jq -r '.merkle_root + " " + (.entries|tostring)'; }
write() { curl -sf -X POST "$(url "$1")/api/lattice/entries" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d "{\"data\":\"$2\"}" >/dev/null; }
same_root() { local a b; a=$(root_of "$1") && b=$(root_of "$2") && [ "$a" = "$b" ] && [ "${a#* }" = "$3" ]; }
started_all() { # label
  for n in "${NODES[@]}"; do
    t0=$(date +%s%N)
    start_node "$n"
    if until_ok 60 health "$n"; then
      pass "node image ($1): $n answers /health $(( ($(date +%s%N) - t0) / 1000000 )) ms after podman run ($NODE_HOW)"
    else
      fatal "node image ($1): $n does not answer /health within 60 s (see $RUN_ID-$n.log in $WORK)"
    fi
  done
}

say "starting both nodes from the operator's Deployments and ConfigMaps"
started_all "P2P on"
p2p_up() { for n in "${NODES[@]}"; do
  [ "$(curl -sf "$(url "$n")/api/lattice/p2p/status" | jq -r '.sync_mode + " " + (.peer_count|tostring)')" = "P2P 1" ] || return 1
done; }
if until_ok 30 p2p_up; then pass "nodes are P2P peers (sync_mode P2P, peer_count 1 on both)"
else fail "nodes did not become P2P peers within 30 s"; fi
write "${NODES[0]}" smoke-over-p2p || fail "writing an entry to ${NODES[0]} failed"
if until_ok 20 same_root "${NODES[0]}" "${NODES[1]}" 1; then
  pass "entry written to ${NODES[0]} reached ${NODES[1]} (P2P): $(root_of "${NODES[1]}")"
else
  fail "entry written to ${NODES[0]} did not reach ${NODES[1]} within 20 s over P2P"
fi
before=$(root_of "${NODES[0]}" || true)
owner=$(podman exec "$RUN_ID-${NODES[0]}" stat -c '%u:%g' /var/lib/lattice/state/entries.log 2>/dev/null || echo "?")

# ---- 4. a rollout: P2P off in both LatticeNodes, containers replaced on the same volumes ------
say "switching P2P off in both LatticeNodes; the operator re-renders their ConfigMaps"
for n in "${NODES[@]}"; do
  kc patch ln "$n" --type=merge -p '{"spec":{"sync":{"p2p":{"enabled":false}}}}' >/dev/null
done
rerendered() { for n in "${NODES[@]}"; do
  [ "$(kc get configmap "$n-config" -o jsonpath='{.data.DIOTEC360_P2P_ENABLED}')" = false ] || return 1
done; }
until_ok 60 rerendered && pass "operator re-rendered both ConfigMaps (DIOTEC360_P2P_ENABLED=false)" \
  || fatal "operator did not re-render the ConfigMaps within 60 s"
for n in "${NODES[@]}"; do stop_node "$n"; done
started_all "after a restart, P2P off"
after=$(root_of "${NODES[0]}" || true)
if [ -n "$before" ] && [ "$before" = "$after" ]; then
  pass "state survived the container restart on its volume: $after (entries.log owned by $owner)"
else
  fail "state lost across the restart: before '$before', after '$after'"
fi
http_only() { for n in "${NODES[@]}"; do
  [ "$(curl -sf "$(url "$n")/api/lattice/p2p/status" | jq -r '.sync_mode + " " + (.p2p_enabled|tostring)')" = "HTTP false" ] || return 1
done; }
until_ok 10 http_only && pass "both nodes run HTTP only (sync_mode HTTP, p2p_enabled false)" \
  || fail "nodes are not HTTP-only after the rollout"
write "${NODES[1]}" smoke-over-http || fail "writing an entry to ${NODES[1]} failed"
poll=$(grep '^DIOTEC360_HTTP_POLL_INTERVAL=' "$WORK/${NODES[0]}.env" | cut -d= -f2)
if until_ok $(( 3 * ${poll:-10} + 10 )) same_root "${NODES[0]}" "${NODES[1]}" 2; then
  pass "entry written to ${NODES[1]} reached ${NODES[0]} over HTTP (poll ${poll}s): $(root_of "${NODES[0]}")"
else
  fail "entry written to ${NODES[1]} did not reach ${NODES[0]} over HTTP within $(( 3 * ${poll:-10} + 10 )) s"
fi
finish
