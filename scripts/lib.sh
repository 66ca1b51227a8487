# Shared helpers for scripts/run, scripts/test and scripts/bench. Sourced, not executed.

# Prints the java binary of the newest installed JDK >= 17 (JAVA_HOME wins when set and new enough).
switchboard_pick_java() {
  local best="" best_ver=0 cand ver
  local cands=()
  [ -n "${JAVA_HOME:-}" ] && cands+=("$JAVA_HOME/bin/java")
  for cand in /usr/lib/jvm/*/bin/java; do cands+=("$cand"); done
  command -v java >/dev/null 2>&1 && cands+=("$(command -v java)")
  for cand in "${cands[@]}"; do
    [ -x "$cand" ] || continue
    ver=$(switchboard_java_major "$cand")
    [ -n "$ver" ] || continue
    if [ "$ver" -ge 17 ] && [ "$ver" -gt "$best_ver" ]; then best="$cand"; best_ver="$ver"; fi
  done
  [ -n "$best" ] || { echo "switchboard: no JDK >= 17 found (set JAVA_HOME)" >&2; return 1; }
  echo "$best"
}

# Prints the major version of the given java binary.
switchboard_java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

# Flags a production JVM needs, adjusted to the JDK's version ($1 = major).
switchboard_jvm_flags() {
  local major="$1"
  local flags=(
    -XX:+ExitOnOutOfMemoryError        # a broker in an unknown state after OOM must die and be restarted
    -XX:MaxDirectMemorySize="${SWITCHBOARD_DIRECT_MEMORY:-1g}"  # bounds Netty's pooled direct buffers
    -Xms"${SWITCHBOARD_HEAP_MIN:-256m}" -Xmx"${SWITCHBOARD_HEAP:-2g}"
    -XX:+UseG1GC -XX:MaxGCPauseMillis=50
    -Dio.netty.tryReflectionSetAccessible=true
    --add-opens=java.base/java.nio=ALL-UNNAMED
    --add-opens=java.base/jdk.internal.misc=ALL-UNNAMED
  )
  if [ "$major" -ge 22 ]; then flags+=(--enable-native-access=ALL-UNNAMED); fi
  if [ "$major" -ge 23 ]; then flags+=(--sun-misc-unsafe-memory-access=allow); fi
  printf '%s\n' "${flags[@]}"
}
