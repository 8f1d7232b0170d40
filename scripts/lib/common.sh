# Shared by the scripts in scripts/: source it, do not run it.
#
#   run_as_root CMD...                 runs CMD as root (through sudo unless already root)
#   apt_install PACKAGE...             installs Debian packages, updating the lists only if needed
#   release_binary                     sets TRAILWARDEN to $TRAILWARDEN_BINARY when given, else builds the
#                                      release binary as the container image ships it (--static-swift-stdlib)
#                                      and sets TRAILWARDEN to it; the build's output only if it fails
#   start_moto DIR NAME [ARG...]       starts Tests/Support/moto_server.py on 127.0.0.1 with its public
#                                      keys in DIR/public-keys (ENV=VALUE words before NAME's other
#                                      arguments set its environment); sets MOTO_ENDPOINT and stops it on exit
#
# Every moto started here is stopped when the sourcing script exits (an EXIT trap
# that also runs any command in CLEANUP).

run_as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi
}

apt_install() {
    export DEBIAN_FRONTEND=noninteractive
    if ! run_as_root apt-get install -y --no-install-recommends "$@"; then
        run_as_root apt-get update
        run_as_root apt-get install -y --no-install-recommends "$@"
    fi
}

release_binary() {
    TRAILWARDEN=${TRAILWARDEN_BINARY:-}
    [[ -z $TRAILWARDEN ]] || return 0
    # The static Foundation library's link prints a warning about mktemp: shown only on failure.
    local log
    log=$(mktemp)
    swift build -c release --product trailwarden --static-swift-stdlib >"$log" 2>&1 || { cat "$log" >&2; rm -f "$log"; exit 1; }
    rm -f "$log"
    TRAILWARDEN=$(swift build -c release --show-bin-path)/trailwarden
}

moto_pids=()
CLEANUP=
stop_everything() {
    local status=$?
    local pid
    for pid in "${moto_pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
    eval "$CLEANUP"
    return "$status"
}
trap stop_everything EXIT

start_moto() {  # DIR NAME [ENV=VALUE...] [-- MOTO_ARG...]
    local dir=$1 name=$2
    shift 2
    local environment=()
    while (($#)) && [[ $1 != -- ]]; do environment+=("$1"); shift; done
    (($#)) && shift
    env "${environment[@]}" python3 Tests/Support/moto_server.py --public-keys-dir "$dir/public-keys" "$@" \
        >"$dir/$name.port" 2>"$dir/$name.log" </dev/null &
    moto_pids+=($!)
    local _
    for _ in $(seq 1 150); do
        if [[ -s $dir/$name.port ]]; then
            MOTO_ENDPOINT="http://127.0.0.1:$(head -1 "$dir/$name.port")"
            return
        fi
        kill -0 "${moto_pids[-1]}" 2>/dev/null || { cat "$dir/$name.log" >&2; exit 1; }
        sleep 0.2
    done
    echo "$0: moto ($name) did not start" >&2
    exit 1
}
