#!/bin/sh
# A worker lost under mpirun ends the job (docs/scaling.md, "Faults"): killed (SIGKILL), or
# stopped (SIGSTOP) and caught by the master's watchdog, which checkpoints the last complete
# generation; resuming that checkpoint gives the front of an uninterrupted run, byte for byte.
# The bound on the time is ctest's TIMEOUT; the measured times are printed.
# usage: farm_faults.sh REGIMEN MPIEXEC PROBLEM SCRATCH
set -u
regimen=$1 mpiexec=$2 problem=$3 dir=$4
mkdir -p "$dir" && cd "$dir" || exit 1
rm -f ./*.h5 ./*.csv ./*.log ./.*.tmp-*
fail() { echo "FAIL: $*"; cat ./*.log 2>/dev/null; exit 1; }

# the ranks' PIDs once the job runs: mpirun's children in rank order (Open MPI's
# OMPI_COMM_WORLD_RANK in each one's environment), the master first
ranks() {
  i=0
  while [ $i -lt 100 ]; do
    pids=$(for p in $(pgrep -P "$1" -f "$regimen optimize"); do
             r=$(tr '\0' '\n' <"/proc/$p/environ" 2>/dev/null |
                 sed -n 's/^OMPI_COMM_WORLD_RANK=//p')
             [ -n "$r" ] && echo "$r $p"
           done | sort -n | awk '{ print $2 }')
    [ "$(echo "$pids" | wc -w)" -ge 3 ] && { echo "$pids"; return 0; }
    sleep 0.1; i=$((i + 1))
  done
  return 1
}

# The workers are hit once the master has logged generation 0: the farm is then up and the
# ranks only exchange work pieces, which the watchdog times. (A rank stopped earlier, inside
# MPI_Init or the start-up collectives, is outside the watchdog: docs/scaling.md, "Faults".)
started() {
  i=0
  while [ $i -lt 600 ]; do
    grep -q "^gen 0/" "$1" 2>/dev/null && return 0
    sleep 0.1; i=$((i + 1))
  done
  return 1
}

for sig in KILL STOP; do
  REGIMEN_WORKER_TIMEOUT=2 "$mpiexec" -np 3 --oversubscribe -x REGIMEN_WORKER_TIMEOUT \
    "$regimen" optimize "$problem" --generations 1000000 --population 100 --log-every 1000 \
    --out "$sig.h5" --checkpoint "$sig.ck.h5" >"$sig.log" 2>&1 &
  job=$!
  pids=$(ranks $job) || fail "$sig: the job did not start"
  started "$sig.log" || fail "$sig: no generation 0 within 60 s"
  workers=$(echo "$pids" | sed -n 2,3p)
  t0=$(date +%s.%N)
  [ "$sig" = STOP ] && kill -STOP $workers || kill -KILL $(echo "$workers" | sed -n 1p)
  wait $job
  rc=$?
  t1=$(date +%s.%N)
  for w in $workers; do kill -CONT "$w" 2>/dev/null; kill -KILL "$w" 2>/dev/null; done
  echo "SIG$sig to workers: job exit $rc after $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') s"
  [ $rc -ne 0 ] || fail "$sig: the job exited 0"
  [ ! -e "$sig.h5" ] || fail "$sig: a results file of an unfinished run"
done

grep -q "has not answered for" STOP.log || fail "STOP: no watchdog message"
[ -e STOP.ck.h5 ] || fail "STOP: no checkpoint"
"$regimen" info STOP.ck.h5 >/dev/null || fail "STOP: the checkpoint cannot be read"
# the checkpoint holds the generation before the one that failed
failed=$(sed -n 's/.*generation \([0-9]*\) failed.*/\1/p' STOP.log | head -1)
[ -n "$failed" ] || fail "STOP: no failed generation in the log"
gen=$((failed - 1))
more=$((gen + 3))
echo "checkpoint at generation $gen; both runs go to $more"
"$regimen" optimize "$problem" --generations $more --population 100 --quiet --out resumed.h5 \
  --resume STOP.ck.h5 --checkpoint STOP.ck.h5 >resume.log 2>&1 || fail "the resume failed"
"$regimen" optimize "$problem" --generations $more --population 100 --quiet --out whole.h5 \
  --checkpoint whole.ck.h5 >whole.log 2>&1 || fail "the uninterrupted run failed"
"$regimen" export resumed.h5 -o resumed.csv >/dev/null 2>&1 || fail "export resumed"
"$regimen" export whole.h5 -o whole.csv >/dev/null 2>&1 || fail "export whole"
cmp resumed.csv whole.csv || fail "the resumed front differs from the uninterrupted one"
echo "resumed front identical to the uninterrupted run's ($(wc -l <whole.csv) lines)"
