# Sourced by mvnw and bin/_java, not run on its own (POSIX sh; works under `set -euf` and bash `set -euo pipefail`).
# Exports JAVA_HOME as a JDK 25 or newer, so neither `./mvnw` nor the launchers need JAVA_HOME to be set:
#   1. JAVA_HOME, or if it is unset the java on PATH, when it is 25 or newer;
#   2. else the first JDK 25+ named by a JAVA_HOME_25_X64 / JAVA25_HOME style variable (CI runners),
#      or found in /usr/lib/jvm, /usr/lib64/jvm, ~/.sdkman/candidates/java or /Library/Java/JavaVirtualMachines.
# With none, it prints one line and exits 2.

# The feature version of the Java in $1 (8 for 1.8), from its release file or else from the JVM; empty if unknown.
_mailcast_java_major() {
  [ -n "$1" ] || return 0
  _mc_v=$(sed -n 's/^JAVA_VERSION="\([0-9.]*\).*/\1/p' "$1/release" 2>/dev/null) || _mc_v=
  if [ -z "$_mc_v" ] && [ -x "$1/bin/java" ]; then
    _mc_v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p') || _mc_v=
  fi
  case $_mc_v in 1.*) _mc_v=${_mc_v#1.} ;; esac
  printf '%s\n' "${_mc_v%%.*}"
}

if [ -n "${JAVA_HOME-}" ]; then
  _mc_first=$JAVA_HOME _mc_what="JAVA_HOME=$JAVA_HOME"
else
  _mc_first=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.home = //p') || _mc_first=
  _mc_what="the java on PATH"
fi
_mc_now=$(_mailcast_java_major "$_mc_first")
_mc_vars=$(env | sed -n -e 's/^JAVA[A-Za-z0-9_]*HOME[A-Za-z0-9_]*=//p' -e 's/^JDK[A-Za-z0-9_]*HOME[A-Za-z0-9_]*=//p') || _mc_vars=

_mc_found=
_mc_ifs=$IFS
IFS='
'
case $- in *f*) _mc_noglob=1; set +f ;; *) _mc_noglob= ;; esac
for _mc_home in "$_mc_first" $_mc_vars /usr/lib/jvm/* /usr/lib64/jvm/* "${HOME-}"/.sdkman/candidates/java/* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home; do
  [ -n "$_mc_home" ] && [ -x "$_mc_home/bin/java" ] && [ -x "$_mc_home/bin/javac" ] || continue
  _mc_v=$(_mailcast_java_major "$_mc_home")
  case $_mc_v in '' | *[!0-9]*) continue ;; esac
  if [ "$_mc_v" -ge 25 ]; then
    _mc_found=$_mc_home
    break
  fi
done
[ -z "$_mc_noglob" ] || set -f
IFS=$_mc_ifs

if [ -z "$_mc_found" ]; then
  [ -z "$_mc_now" ] || _mc_what="$_mc_what is Java $_mc_now and"
  [ -n "$_mc_now" ] || _mc_what=
  echo "error: Mailcast needs a JDK 25 or newer (virtual threads without pinning, Hazelcast 5.7); ${_mc_what:+$_mc_what }no JDK 25 was found via JAVA_HOME_25_X64-style variables, in /usr/lib/jvm or in ~/.sdkman/candidates/java. Install Temurin 25 or set JAVA_HOME to it." >&2
  exit 2
fi
export JAVA_HOME="$_mc_found"
unset _mc_v _mc_first _mc_what _mc_now _mc_vars _mc_found _mc_ifs _mc_noglob _mc_home
unset -f _mailcast_java_major
