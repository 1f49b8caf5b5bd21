#!/usr/bin/env bash
# The same write bench with the clients sending time-ordered (UUIDv7) transaction ids, main against the change.
set -u
M=$1; N=$2; OUT=$3; mkdir -p "$OUT"
. scripts/find-jdk.sh   # run from the repository root
W="bench write --skew uniform --transfers 50000 --rounds 2 --warmup 1 --baseline-seconds 1 --half-load-seconds 5"
for i in 1 2; do for v in main new; do jar=$M; [ $v = new ] && jar=$N
  echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg) v7-$v-$i" >> "$OUT/log.txt"
  java --enable-native-access=ALL-UNNAMED -jar $jar $W --ids time-ordered --out "$OUT/v7-$v-$i.json" > "$OUT/v7-$v-$i.txt" 2>&1
done; done
