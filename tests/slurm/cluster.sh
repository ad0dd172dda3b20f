#!/bin/bash
# A throwaway single-node SLURM cluster on this machine, for testing the scripts in jobs/.
#
# usage: tests/slurm/cluster.sh [--timeout SECONDS] [COMMAND [ARGS...]]
#        tests/slurm/cluster.sh bash      (an interactive shell on the cluster; exit stops it)
#
# Starts munged, slurmctld and slurmd (each with its own key, socket, pid file, spool and log
# under one 755 directory in /tmp), waits until the node is idle, then runs COMMAND with
# SLURM_CONF pointing at the cluster (and RG_SLURM_DIR at its directory). Without a COMMAND it
# submits `sbatch --wrap hostname` and checks that the job completes. On any exit (normal,
# error, INT, TERM, or the timeout) every daemon is stopped by the PID in its pid file and the
# directory is removed (kept when RG_SLURM_KEEP=1). A detached watchdog stops the daemons too
# if this script itself is killed with SIGKILL. Exit status: COMMAND's, or 1 when the cluster
# does not come up, or 124 on timeout.
#
# Needs root (slurmd runs jobs as their submitting user) and the Debian packages slurm-wlm
# and munge (scripts/install-deps --slurm). Facts behind the configuration:
# docs/platform-notes.md, section "SLURM on one machine".
set -u

timeout=600
if [ "${1:-}" = "--timeout" ]; then timeout=$2; shift 2; fi

log() { echo "cluster: $*" >&2; }
die() { log "$*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (slurmd starts jobs as their user)"
for exe in munged mungekey slurmctld slurmd sbatch squeue scontrol; do
  command -v "$exe" >/dev/null 2>&1 || [ -x "/usr/sbin/$exe" ] ||
    die "'$exe' not found: install slurm-wlm and munge (scripts/install-deps --slurm)"
done
export PATH="$PATH:/usr/sbin"

# Every directory above munge's socket must be world-executable: mktemp -d gives 700.
dir=$(mktemp -d /tmp/regimen-slurm.XXXXXX) || die "cannot create a directory in /tmp"
chmod 755 "$dir"
mkdir -p "$dir/munge" "$dir/ctld" "$dir/slurmd" "$dir/log"
chmod 755 "$dir/munge"
pidfiles="$dir/slurmd.pid $dir/slurmctld.pid $dir/munged.pid"
watchdog=""
inner=""

# Stop every daemon by the PID in its pid file: TERM to all, wait up to 10 s, then KILL.
stop_daemons() {
  local f pid pids="" i
  for f in $pidfiles; do
    [ -s "$f" ] || continue
    pid=$(cat "$f")
    case "$pid" in ''|*[!0-9]*) continue ;; esac
    kill -TERM "$pid" 2>/dev/null && pids="$pids $pid"
  done
  for i in $(seq 100); do
    alive=""
    for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive="$alive $pid"; done
    [ -z "$alive" ] && return
    sleep 0.1
  done
  log "daemons$alive ignored SIGTERM for 10 s; killing them"
  for pid in $alive; do kill -KILL "$pid" 2>/dev/null; done
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if [ -n "$inner" ] && kill -0 "$inner" 2>/dev/null; then
    kill -TERM -- "-$inner" 2>/dev/null || kill -TERM "$inner" 2>/dev/null
    sleep 1
    kill -KILL -- "-$inner" 2>/dev/null
  fi
  # Jobs still in the cluster die with slurmd; cancel them first so they stop cleanly.
  if [ -s "$dir/slurmctld.pid" ]; then scancel --full --quiet --user=root 2>/dev/null; fi
  stop_daemons
  [ -n "$watchdog" ] && kill -- "-$watchdog" 2>/dev/null
  if [ $rc -ne 0 ] || [ "${RG_SLURM_KEEP:-0}" = 1 ]; then
    for f in "$dir"/log/*.log; do
      [ -s "$f" ] || continue
      log "---- last lines of $f"; tail -n 15 "$f" >&2
    done
  fi
  if [ "${RG_SLURM_KEEP:-0}" = 1 ]; then log "kept $dir"; else rm -rf "$dir"; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# If this script is killed outright, a detached watchdog still stops the daemons.
setsid bash -c '
  while kill -0 '"$$"' 2>/dev/null; do sleep 1; done
  [ -s '"'$dir/inner.pid'"' ] && kill -KILL -- "-$(cat '"'$dir/inner.pid'"')" 2>/dev/null
  for f in '"$pidfiles"'; do [ -s "$f" ] && kill -KILL "$(cat "$f")" 2>/dev/null; done
  rm -rf '"'$dir'"'
' </dev/null >/dev/null 2>&1 &
watchdog=$!

# Two free TCP ports, so that this cluster never meets another one on the machine.
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 30000))
    port_free "$p" && port_free "$((p + 1))" && { echo "$p"; return; }
  done
}
ctld_port=$(pick_port)
slurmd_port=$((ctld_port + 1))

host=$(hostname -s)
cpus=$(nproc)
munge_socket="$dir/munge/munge.socket.2"
conf="$dir/slurm.conf"

# munged: its own key, socket, pid file, seed and log.
mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null 2>&1 ||
  die "mungekey --create failed"
chmod 400 "$dir/munge/munge.key"
munged --socket="$munge_socket" --key-file="$dir/munge/munge.key" \
  --pid-file="$dir/munged.pid" --seed-file="$dir/munge/munge.seed" \
  --log-file="$dir/log/munged.log" ||
  die "munged failed to start (see $dir/log/munged.log)"

cat >"$conf" <<EOF
ClusterName=regimen-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$munge_socket
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
EnforcePartLimits=ALL
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
ReturnToService=2
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/slurmd
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
SlurmctldTimeout=30
SlurmdTimeout=30
MinJobAge=600
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$conf" RG_SLURM_DIR="$dir"

slurmctld -f "$conf" || die "slurmctld failed to start"
slurmd -f "$conf" || die "slurmd failed to start"

# Wait (up to 30 s) until the node is idle.
state=""
for i in $(seq 300); do
  state=$(sinfo -h -N -n "$host" -o %t 2>/dev/null | head -n 1)
  [ "$state" = "idle" ] && break
  sleep 0.1
done
[ "$state" = "idle" ] || die "node $host is not idle after 30 s (state '$state')"
log "up in $dir: node $host, $cpus CPUs, slurmctld port $ctld_port, slurmd port $slurmd_port"

if [ $# -eq 0 ]; then
  set -- bash -c '
    id=$(sbatch --parsable --output="$RG_SLURM_DIR/hostname-%j.out" --wrap hostname) || exit 1
    for i in $(seq 300); do
      [ -z "$(squeue -h -j "$id" 2>/dev/null)" ] && break
      sleep 0.1
    done
    scontrol show job "$id" | grep -q "JobState=COMPLETED" || {
      echo "cluster: job $id did not complete:" >&2; scontrol show job "$id" >&2; exit 1; }
    echo "cluster: job $id ran on $(cat "$RG_SLURM_DIR/hostname-$id.out")"'
fi

# An interactive command (stdin a terminal, e.g. `cluster.sh bash`) runs in the foreground.
if [ -t 0 ]; then
  "$@"
  exit $?
fi
# The command runs in its own process group, so that the timeout and cleanup can stop all of it.
setsid "$@" &
inner=$!
echo "$inner" >"$dir/inner.pid"
deadline=$((SECONDS + timeout))
while kill -0 "$inner" 2>/dev/null; do
  if [ "$SECONDS" -ge "$deadline" ]; then
    log "timeout after $timeout s"; : >"$dir/timed-out"
    kill -TERM -- "-$inner" 2>/dev/null
    break
  fi
  sleep 0.2
done
wait "$inner"
rc=$?
inner=""
[ -e "$dir/timed-out" ] && rc=124
exit $rc
