#!/usr/bin/env bash
# CPU cost of Digest registrations: imsip's example registrar/proxy against
# Kamailio as a plain in-memory Digest registrar, both under the same SIPp
# load (benches/load/register_digest.xml: REGISTER, 401, REGISTER with MD5
# credentials, 200; one distinct user per registration).
#
# For each system and each rate a fresh server is started, SIPp sends
# RATE*SECONDS registrations at RATE/s over UDP on 127.0.0.1, and the
# server's CPU time (utime+stime summed over its whole process tree, read
# from /proc after start-up and again after SIPp has finished) is divided by
# the registrations that got their 200. A markdown table goes to stdout;
# logs stay in the temporary directory printed at the start.
#
#   cargo build --release --example proxy     # first; this script does not build
#   bash benches/load_register.sh [--proxy PATH] [--users N] \
#        [--rates "500 1000 2000 4000 8000"] [--seconds S]
#
# Defaults: --proxy target/release/examples/proxy, --seconds 10,
# --users = largest rate * seconds (so no user repeats within a run).
# Needs sipp (3.6) and kamailio (5.x, Debian module path) on PATH.
# Kamailio: benches/load/kamailio.cfg, children=2 UDP workers, usrloc
# db_mode=0, passwords in an htable filled at start-up from a generated
# include. imsip: single-threaded, its per-transaction stdout to /dev/null.
# SIPp runs on the same machine, so at high rates it competes with the
# server for the cores; the table shows SIPp's own CPU and the rest of the
# machine's ("other") to make that visible.
# Note on imsip: the example answers the first REGISTER's 401 statelessly
# (Proxy::respond_stateless) and the 200 in a server transaction that stays
# alive for Timer J (64*T1 = 32 s over UDP); the example allows 262 144 live
# transactions, a sustained ceiling of ~8 000 registrations/s. Past it the
# endpoint answers 503, which the table counts as failures.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

proxy=target/release/examples/proxy
users=
rates="500 1000 2000 4000 8000"
seconds=10
while [ $# -gt 0 ]; do
    case $1 in
        --proxy) proxy=$2; shift 2 ;;
        --users) users=$2; shift 2 ;;
        --rates) rates=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        -h|--help) sed -n '2,32p' "$0"; exit 0 ;;
        *) echo "unknown argument: $1" >&2; exit 2 ;;
    esac
done

imsip_port=5070
kam_port=5090 # fixed in benches/load/kamailio.cfg
sipp_port=5071
scenario=$root/benches/load/register_digest.xml
kam_cfg=$root/benches/load/kamailio.cfg
tck=$(getconf CLK_TCK)

[ -x "$proxy" ] || { echo "no executable proxy at $proxy (cargo build --release --example proxy)" >&2; exit 1; }
proxy=$(cd "$(dirname "$proxy")" && pwd)/$(basename "$proxy")
command -v sipp >/dev/null || { echo "sipp not found" >&2; exit 1; }
command -v kamailio >/dev/null || { echo "kamailio not found" >&2; exit 1; }

max_rate=0
for r in $rates; do [ "$r" -gt "$max_rate" ] && max_rate=$r; done
[ -n "$users" ] || users=$((max_rate * seconds))
if [ "$users" -lt $((max_rate * seconds)) ]; then
    echo "warning: $users users < $((max_rate * seconds)) registrations of the largest run; users will repeat" >&2
fi

tmp=$(mktemp -d /tmp/imsip-load.XXXXXX)
echo "# logs in $tmp" >&2
server_pid=
cleanup() {
    if [ -n "$server_pid" ]; then stop_server; fi
}
trap cleanup EXIT

# --- users -----------------------------------------------------------------
# user<i> / a per-user password; the same set for both systems.
awk -v n="$users" -v dir="$tmp" 'BEGIN {
    print "SEQUENTIAL" > (dir "/users.csv")
    for (i = 1; i <= n; i++) {
        pw = sprintf("pw%08x", (i * 2654435761) % 4294967296)
        printf "user%d;%s\n", i, pw > (dir "/users.csv")
        printf "user%d %s\n", i, pw > (dir "/users.txt")
        # Kamailio: route blocks of 1000 users (see benches/load/kamailio.cfg)
        if ((i - 1) % 1000 == 0) {
            if (i > 1) print "}" > (dir "/kamailio-users.cfg")
            print "route[USERS_" blocks++ "] {" > (dir "/kamailio-users.cfg")
        }
        printf "\t$sht(users=>user%d) = \"%s\";\n", i, pw > (dir "/kamailio-users.cfg")
    }
    if (n > 0) print "}" > (dir "/kamailio-users.cfg")
    print "route[USERS] {" > (dir "/kamailio-users.cfg")
    for (b = 0; b < blocks; b++) print "\troute(USERS_" b ");" > (dir "/kamailio-users.cfg")
    print "}" > (dir "/kamailio-users.cfg")
}'
# Each generated line costs about 3.4 KB of Kamailio private (pkg) memory.
kam_pkg=$((users * 4 / 1000 + 64))
kam_args=(-f "$kam_cfg" -m 256 -M "$kam_pkg" -P "$tmp/kamailio.pid" -Y "$tmp/run")
mkdir -p "$tmp/run"

# --- process helpers ---------------------------------------------------------
tree_pids() {
    local p
    echo "$1"
    for p in $(pgrep -P "$1" || true); do tree_pids "$p"; done
}

# utime+stime in clock ticks, summed over the process tree of $1.
tree_ticks() {
    local total=0 p line rest f
    for p in $(tree_pids "$1"); do
        if read -r line < "/proc/$p/stat" 2>/dev/null; then
            rest=${line##*) }
            read -r -a f <<< "$rest"
            total=$((total + f[11] + f[12])) # fields 14 and 15 of stat
        fi
    done
    echo "$total"
}

# utime+stime of this shell's reaped children (fields 16 and 17).
self_child_ticks() {
    local line rest f
    read -r line < "/proc/$$/stat"
    rest=${line##*) }
    read -r -a f <<< "$rest"
    echo $((f[13] + f[14]))
}

# Busy ticks of the whole machine (user nice system irq softirq steal).
machine_ticks() {
    local cpu u n s idle iow irq sirq steal rest
    read -r cpu u n s idle iow irq sirq steal rest < /proc/stat
    echo $((u + n + s + irq + sirq + steal))
}

udp_bound() {
    local hex
    hex=$(printf ':%04X ' "$1")
    grep -q "0100007F$hex" /proc/net/udp
}

start_server() { # system tag
    local system=$1 tag=$2 i
    for i in $imsip_port $kam_port $sipp_port; do
        if udp_bound "$i"; then
            echo "udp port $i on 127.0.0.1 is already in use" >&2
            exit 1
        fi
    done
    case $system in
        imsip)
            "$proxy" --bind "127.0.0.1:$imsip_port" --domain example.com \
                --users "$tmp/users.txt" > /dev/null 2> "$tmp/imsip-$tag.err" &
            server_pid=$!
            port=$imsip_port
            ;;
        kamailio)
            (cd "$tmp" && exec kamailio "${kam_args[@]}" -DD -E) > "$tmp/kamailio-$tag.log" 2>&1 &
            server_pid=$!
            port=$kam_port
            ;;
    esac
    for i in $(seq 1 600); do
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "$system exited during start-up (log in $tmp)" >&2
            exit 1
        fi
        if udp_bound "$port"; then
            # Kamailio fills the htable (and logs it) after binding.
            [ "$system" = imsip ] && break
            grep -q ": $users users loaded" "$tmp/kamailio-$tag.log" && break
        fi
        sleep 0.1
    done
    udp_bound "$port" || { echo "$system did not bind udp $port" >&2; exit 1; }
    if [ "$system" = kamailio ]; then
        grep -q ": $users users loaded" "$tmp/kamailio-$tag.log" ||
            echo "warning: kamailio did not log '$users users loaded'" >&2
        # Let the forked workers settle.
        sleep 1.5
    fi
    return 0
}

stop_server() {
    local pids p
    kill -0 "$server_pid" 2>/dev/null ||
        echo "warning: the server (pid $server_pid) died during the run" >&2
    pids=$(tree_pids "$server_pid")
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    for p in $pids; do kill "$p" 2>/dev/null || true; done
    server_pid=
}

# Reads the last line of a SIPp -stf file: success failed created retrans.
sipp_stats() {
    awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
        { last = $0 }
        END {
            n = split(last, f, ";")
            print f[c["SuccessfulCall(C)"]] + 0, f[c["FailedCall(C)"]] + 0,
                  f[c["TotalCallCreated"]] + 0, f[c["Retransmissions(C)"]] + 0
        }' "$1"
}

run_sipp() { # port rate count tag
    local port=$1 rate=$2 count=$3 tag=$4
    rm -f "$tmp/$tag.stat.csv" "$tmp/$tag.err.log"
    sipp "127.0.0.1:$port" -sf "$scenario" -inf "$tmp/users.csv" \
        -i 127.0.0.1 -p "$sipp_port" -r "$rate" -m "$count" \
        -nostdin -timeout "$((count / rate * 2 + 30))s" \
        -default_behaviors all,-bye -buff_size 4194304 \
        -trace_stat -stf "$tmp/$tag.stat.csv" -fd 1 \
        -trace_err -error_file "$tmp/$tag.err.log" \
        -trace_screen -screen_file "$tmp/$tag.screen.log" \
        > /dev/null 2>&1 || true
}

show_errors() { # tag
    local log=$tmp/$1.err.log
    [ -s "$log" ] || return 0
    echo "  SIPp errors ($log), first lines:" >&2
    { grep -E "Aborting|received 'SIP|timeout|Dead call" "$log" || true; } | head -n 6 | sed 's/^/    /' >&2 || true
    echo "  responses that aborted calls:" >&2
    { grep -o "received 'SIP/2.0 [0-9]* [^']*" "$log" || true; } |
        sed 's/received .//' | sort | uniq -c | sort -rn | head -n 5 | sed 's/^/    /' >&2 || true
    return 0
}

# --- checks ----------------------------------------------------------------
echo "# kamailio -c" >&2
(cd "$tmp" && kamailio "${kam_args[@]}" -c) > "$tmp/kamailio-check.log" 2>&1 || {
    echo "kamailio -c failed:" >&2
    tail -n 20 "$tmp/kamailio-check.log" >&2
    exit 1
}

echo "# smoke: 20 registrations at 20/s against each system" >&2
smoke_ok=1
declare -A idle
for system in imsip kamailio; do
    start_server "$system" smoke
    i0=$(tree_ticks "$server_pid")
    sleep 3
    idle[$system]=$(awk -v a="$i0" -v b="$(tree_ticks "$server_pid")" -v t="$tck" \
        'BEGIN { printf "%.3f", (b - a) / t / 3 }')
    run_sipp "$port" 20 20 "smoke-$system"
    stop_server
    read -r ok failed created retrans < <(sipp_stats "$tmp/smoke-$system.stat.csv")
    echo "  $system: $ok of 20 got 200, $failed failed" >&2
    if [ "$ok" -ne 20 ]; then
        smoke_ok=0
        show_errors "smoke-$system"
    fi
done
[ "$smoke_ok" = 1 ] || echo "# smoke run failed; continuing so the table shows how" >&2

# --- load runs ---------------------------------------------------------------
started=$SECONDS
rows=()
declare -A best
for system in imsip kamailio; do
    best[$system]=none
    for rate in $rates; do
        count=$((rate * seconds))
        tag=$system-$rate
        echo "# $system at $rate/s, $count registrations" >&2
        start_server "$system" "$rate"
        nproc_srv=$(tree_pids "$server_pid" | wc -l)
        srv0=$(tree_ticks "$server_pid")
        mach0=$(machine_ticks)
        self0=$(self_child_ticks)
        t0=$EPOCHREALTIME
        run_sipp "$port" "$rate" "$count" "$tag"
        t1=$EPOCHREALTIME
        self1=$(self_child_ticks)
        mach1=$(machine_ticks)
        srv1=$(tree_ticks "$server_pid")
        stop_server
        read -r ok failed created retrans < <(sipp_stats "$tmp/$tag.stat.csv")
        unfinished=$((count - ok - failed))
        srv=$((srv1 - srv0))
        sippt=$((self1 - self0))
        other=$((mach1 - mach0 - srv - sippt))
        [ "$other" -lt 0 ] && other=0
        row=$(awk -v s="$system" -v r="$rate" -v n="$count" -v ok="$ok" -v f="$failed" \
            -v u="$unfinished" -v srv="$srv" -v sp="$sippt" -v o="$other" -v t="$tck" \
            -v w0="$t0" -v w1="$t1" -v re="$retrans" -v np="$nproc_srv" 'BEGIN {
                per = ok > 0 ? sprintf("%.3f", srv / t / ok * 1000) : "-"
                printf "| %s (%d proc) | %d | %d | %d | %d | %d | %.2f | %s | %.2f | %.2f | %.1f | %d |",
                    s, np, r, n, ok, f, u, srv / t, per, sp / t, o / t, w1 - w0, re
            }')
        rows+=("$row")
        echo "  $row" >&2
        if [ "$failed" -eq 0 ] && [ "$ok" -eq "$count" ]; then
            best[$system]=$rate
        else
            show_errors "$tag"
        fi
    done
done

echo
echo "Digest REGISTER load: $seconds s per rate, $users users, SIPp $(sipp -v 2>&1 | grep -o 'v[0-9.]*' | head -n 1), kamailio $(kamailio -v | head -n 1 | cut -d" " -f3), CLK_TCK $tck, $(nproc) CPUs"
echo
echo "| system | rate/s | sent | 200 OK | failed | unfinished | server CPU-s | server CPU-s / 1000 reg | SIPp CPU-s | other CPU-s | wall s | retrans |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
printf '%s\n' "${rows[@]}"
echo
for system in imsip kamailio; do
    echo "- highest rate with zero failures, $system: ${best[$system]}"
done
for system in imsip kamailio; do
    echo "- idle $system (after start-up, no traffic): ${idle[$system]} CPU-s per second"
done
echo "- load runs took $((SECONDS - started)) s; logs in $tmp"
