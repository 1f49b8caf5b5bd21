#!/usr/bin/env bash
# The checkpoint interval and the history indexer's interval, same jar, after history moved behind the commit.
set -u
N=$1; OUT=$2; M=$3;   # NEW_JAR OUT_DIR MAIN_JAR
 mkdir -p "$OUT"
. scripts/find-jdk.sh   # run from the repository root
W="bench write --skew uniform --transfers 50000 --rounds 2 --warmup 1 --baseline-seconds 1 --half-load-seconds 5"
log() { echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg) $*" | tee -a "$OUT/log.txt"; }
for i in 1 2; do
  for c in 2 5 10 20; do
    log ckpt-$c-$i
    java --enable-native-access=ALL-UNNAMED -Dtally.sqlite.checkpointIntervalMs=$c -jar $N $W --out "$OUT/ckpt-$c-$i.json" > "$OUT/ckpt-$c-$i.txt" 2>&1
  done
  for h in 50 1000; do
    log hist-$h-$i
    java --enable-native-access=ALL-UNNAMED -Dtally.sqlite.historyIntervalMs=$h -jar $N $W --out "$OUT/hist-$h-$i.json" > "$OUT/hist-$h-$i.txt" 2>&1
  done
done
for v in main new; do jar=$M; [ $v = new ] && jar=$N
  log http-warm-$v
  java --enable-native-access=ALL-UNNAMED -jar $jar bench http --transfers 20000 --rounds 3 --warmup 4 --out "$OUT/http-warm-$v.json" > "$OUT/http-warm-$v.txt" 2>&1
done
log done
