#!/usr/bin/env bash
. scripts/find-jdk.sh   # from the repository root; MAIN_JAR and NEW_JAR below name the two jars
OUT=${OUT:-bench-out}; mkdir -p $OUT
G="bench write --skew uniform --transfers 100000 --rounds 50 --warmup 0 --half-load-seconds 1 --baseline-seconds 1"
for v in main new; do jar=$MAIN_JAR; [ $v = new ] && jar=$NEW_JAR
  echo "$(date -u +%H:%M:%S) $(cut -d' ' -f1-3 /proc/loadavg) grow-$v" >> $OUT/log.txt
  java --enable-native-access=ALL-UNNAMED -jar $jar $G --out $OUT/grow5m-$v.json > $OUT/grow5m-$v.txt 2>&1
done
echo "$(date -u +%H:%M:%S) grow done" >> $OUT/log.txt
