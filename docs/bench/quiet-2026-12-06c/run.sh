#!/usr/bin/env bash
# History indexed behind the commit: main against the change on a quiet machine, alternating jars.
set -u
M=$1; N=$2; OUT=$3; PGX=${4:-}   # PGX: main plus a system property that drops the two history indexes (the upper bound)
mkdir -p "$OUT"
. scripts/find-jdk.sh   # run from the repository root
J="java --enable-native-access=ALL-UNNAMED"
W="bench write --skew uniform --transfers 50000 --rounds 2 --warmup 1 --baseline-seconds 1 --half-load-seconds 5"
G="bench write --skew uniform --transfers 100000 --rounds 50 --warmup 0 --half-load-seconds 1 --baseline-seconds 1"
log() { echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg) $*" | tee -a "$OUT/log.txt"; }
run() { local name=$1; shift; log "$name"; $J "$@" --out "$OUT/$name.json" > "$OUT/$name.txt" 2>&1; }
for i in 1 2 3; do
  run sqlite-main-$i -jar $M $W
  run sqlite-new-$i -jar $N $W
done
run pg-main -jar $M $W --store postgres
run pg-new -jar $N $W --store postgres
run http-main -jar $M bench http --transfers 20000 --rounds 3
run http-new -jar $N bench http --transfers 20000 --rounds 3
run asof-main -jar $M bench asof --entries 500000 --rounds 2
run asof-new -jar $N bench asof --entries 500000 --rounds 2
run verify-new -jar $N bench verify --entries 1000000 --rounds 1
run grow5m-new -jar $N $G
run grow5m-main -jar $M $G
run pgx-keep -jar $PGX $W --store postgres
run pgx-drop -Dtally.exp.dropHistory=true -jar $PGX $W --store postgres
log done
