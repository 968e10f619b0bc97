# Sourced by ./mvnw, bin/maze and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Keeps a JAVA_HOME that is already new enough; otherwise tries `java` on the PATH,
# then every JDK under /usr/lib/jvm (Temurin first), newest first.
# Plain POSIX sh that works under `set -euf` (mvnw runs so: no globbing here).

# The feature version of the JDK at $1 (17, 21, 25, ...): from its `release` file, else by asking its java.
maze_java_major() {
  local major=""
  if [ -r "$1/release" ]; then
    major=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1) || :
  fi
  if [ -z "$major" ]; then
    major=$("$1/bin/java" -XshowSettings:properties -version 2>&1 |
      sed -n 's/^ *java.specification.version = \([0-9][0-9]*\).*/\1/p' | head -n 1) || :
  fi
  printf '%s\n' "$major"
}

maze_pick_java() {
  local candidate major found=""
  for candidate in "${JAVA_HOME:-}" \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
      $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 -name 'temurin-*' 2>/dev/null | sort -rV) \
      $(find /usr/lib/jvm -mindepth 1 -maxdepth 1 2>/dev/null | sort -rV); do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(maze_java_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
      export JAVA_HOME="$candidate"
      return 0
    fi
    case " $found " in *" ${major:-unknown} "*) ;; *) found="$found ${major:-unknown}" ;; esac
  done
  if [ -n "$found" ]; then found="only JDK$found"; else found="no JDK"; fi
  echo "maze: needs a JDK 21 or newer, but JAVA_HOME, the PATH and /usr/lib/jvm hold $found." \
    "Install JDK 21 or newer (e.g. Temurin from https://adoptium.net, or your system's openjdk-21-jdk or openjdk-25-jdk package)" \
    "and set JAVA_HOME to it." >&2
  return 1
}
