#!/usr/bin/env bash
# Sourced by ./tally and ./test.sh: exports JAVA_HOME of a JDK >= 21.
# Order: $JAVA_HOME, then `java` on PATH, then the newest JDK under /usr/lib/jvm.

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

jdk_ok() {
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] && [ "$(java_major "$1/bin/java")" -ge 21 ] 2>/dev/null
}

find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && jdk_ok "$JAVA_HOME"; then
    echo "$JAVA_HOME"; return 0
  fi
  if command -v java >/dev/null 2>&1; then
    local home
    home=$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")
    if jdk_ok "$home"; then echo "$home"; return 0; fi
  fi
  local best="" best_major=0 dir major
  for dir in /usr/lib/jvm/*; do
    [ -d "$dir" ] || continue
    jdk_ok "$dir" || continue
    major=$(java_major "$dir/bin/java")
    if [ "$major" -gt "$best_major" ]; then best="$dir"; best_major="$major"; fi
  done
  if [ -n "$best" ]; then echo "$best"; return 0; fi
  return 1
}

if ! JAVA_HOME=$(find_jdk); then
  echo "tally: no JDK 21 or newer found (checked JAVA_HOME, java on PATH, /usr/lib/jvm/*)" >&2
  exit 2
fi
export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
# Maven's own libraries use sun.misc.Unsafe; keep newer JDKs quiet about it.
if [ "$(java_major "$JAVA_HOME/bin/java")" -ge 24 ]; then
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
