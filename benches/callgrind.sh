#!/usr/bin/env bash
# Instruction counts of the parse, transaction, call and proxy benchmarks, as
# docs/performance.md gives them: each loop binary runs under callgrind for
# 10 000 and for 20 000 iterations (after its own warm-up), and the
# difference divided by 10 000 is one iteration, start-up and warm-up
# cancelled out. Repeatable to the instruction for a given build.
#
#   bash benches/callgrind.sh          # needs valgrind
set -euo pipefail
cd "$(dirname "$0")/.."

binary() {
    cargo bench --bench "$1" --no-run --message-format=json 2>/dev/null |
        grep -o '"executable":"[^"]*"' | cut -d'"' -f4 | tail -n 1
}

count() {
    local bin=$1
    shift
    local out
    out=$(mktemp)
    local totals=()
    for n in 10000 20000; do
        valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" "$@" "$n" >/dev/null 2>&1
        totals+=("$(grep '^summary:' "$out" | awk '{print $2}')")
    done
    rm -f "$out"
    echo "$* : $(((totals[1] - totals[0]) / 10000))"
}

parse=$(binary parse_loop)
transaction=$(binary transaction_loop)
for message in invite register; do
    for work in parse key validate; do
        count "$parse" "$message" "$work"
    done
done
count "$transaction" tcp
count "$transaction" udp
call=$(binary call_loop)
count "$call" tcp
count "$call" udp
proxy=$(binary proxy_loop)
count "$proxy" tcp
count "$proxy" udp
count "$proxy" udp stateless
