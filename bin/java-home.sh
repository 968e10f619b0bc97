# Sourced by bin/maze and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Keeps a JAVA_HOME that is already new enough; otherwise tries `java` on the PATH,
# then every JDK under /usr/lib/jvm (Temurin first), newest first.
maze_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java.specification.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}
maze_pick_java() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
      $(ls -d /usr/lib/jvm/temurin-* 2>/dev/null | sort -rV) $(ls -d /usr/lib/jvm/* 2>/dev/null | sort -rV); do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] || continue
    major=$(maze_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
  done
  echo "maze: needs a JDK 21 or newer; set JAVA_HOME to one (found none on the PATH or under /usr/lib/jvm)" >&2
  return 1
}
