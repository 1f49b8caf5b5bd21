#!/usr/bin/env bash
# Quiet-machine runs of 2026-12-06 09:51-10:04 UTC: the write-path targets (main's jar against the new one), the fraud shield's cost, the SQLite checkpoint interval.
# usage: run.sh MAIN_JAR NEW_JAR OUT_DIR
set -u
M=$1; N=$2; OUT=$3; mkdir -p "$OUT"
. scripts/find-jdk.sh   # from the repository root
J="java --enable-native-access=ALL-UNNAMED"
W="bench write --skew uniform --transfers 50000 --rounds 2 --warmup 1 --baseline-seconds 1 --half-load-seconds 5"
F="bench write --fraud recommended --skew uniform --transfers 100000 --rounds 3 --half-load-seconds 2 --baseline-seconds 1"
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
for i in 1 2; do
  run fraud-new-$i -jar $N $F
done
run fraud-main-1 -jar $M $F
run economy-new -jar $N bench fraud --transfers 20000 --rounds 3
for c in 2 5 10 50; do
  run ckpt-$c -Dtally.sqlite.checkpointIntervalMs=$c -jar $N $W
done
log done
