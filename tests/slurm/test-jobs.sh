#!/bin/bash
# The test of jobs/*.sbatch on a real SLURM: run it inside tests/slurm/cluster.sh.
#
# usage: tests/slurm/cluster.sh tests/slurm/test-jobs.sh
# environment: REGIMEN (the regimen binary, required), RG_SOURCE_DIR (the repository; default
#   this script's), RG_TEST_WORK (a scratch directory; default a new one in /tmp, removed at
#   the end unless a check failed).
#
# A scratch copy of the repository's layout (jobs/ and problems/ linked, an empty results/) is
# the submission directory, exactly as a user submits from the repository root. It submits:
#  1. jobs/optimize.sbatch on zdt1 (2 ranks), sends it the time-limit warning (USR1 to the
#     batch shell, as --signal=B:USR1 does) mid-run, and checks that it checkpoints, submits
#     its continuation, and that the continuation resumes and ends with the same front and
#     per-generation history, byte for byte, as
#  2. the same run uninterrupted, launched with srun --mpi=pmix instead of mpirun (RG_LAUNCH),
#     whose results file `regimen info` must read;
#  3. jobs/sweep.sbatch as a 3-task array over a list (zdt1 seeds 1 and 2, zdt2 seed 1): one
#     results file and front per task, and the merged front of each problem, which must be
#     non-dominated and made of the tasks' own points;
#  4. jobs/compare.sbatch as submitted plainly (every problems/*.cfg): one CSV with a
#     `problem` column and each problem's rows equal to `regimen compare --csv` run directly;
#  5. jobs/submit optimize --chain 2 from a directory without results/: the first part stopped
#     by the warning, the second (queued by the helper) resumes it to the front of 2, and no
#     job calls sbatch;
#  6. jobs/submit sweep: the array sized from the list, the merge job queued by the helper.
# Every job must end COMPLETED within its time limit here; each wait has its own timeout.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=${RG_SOURCE_DIR:-$(cd "$here/../.." && pwd)}
: "${REGIMEN:?set REGIMEN to the regimen binary}"
: "${SLURM_CONF:?run this inside tests/slurm/cluster.sh}"
[ -x "$REGIMEN" ] || { echo "test-jobs: REGIMEN=$REGIMEN is not executable" >&2; exit 1; }
export REGIMEN
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_rmaps_base_oversubscribe=1
PY=/usr/bin/python3

# The problems of the test (small, so that the whole test takes well under a minute).
opt_problem=problems/benchmarks/zdt1.cfg
opt_args="RG_SEED=5,RG_GENERATIONS=${RG_TEST_GENERATIONS:-200},RG_POPULATION=${RG_TEST_POPULATION:-100},RG_CHECKPOINT_EVERY=50,RG_LOG_EVERY=1"
sweep_args="RG_GENERATIONS=30,RG_POPULATION=40"

work=${RG_TEST_WORK:-$(mktemp -d /tmp/regimen-jobs.XXXXXX)}
mkdir -p "$work/results" || exit 1
ln -sfn "$src/jobs" "$work/jobs"
ln -sfn "$src/problems" "$work/problems"
cd "$work" || exit 1
echo "test-jobs: submitting from $work"

failures=0
pass() { echo "ok   - $*"; }
fail() { echo "FAIL - $*"; failures=$((failures + 1)); }

# wait_gone ID SECONDS: until squeue no longer lists the job (or any task of the array).
wait_gone() {
  local i
  for i in $(seq $(($2 * 5))); do
    [ -z "$(squeue -h -j "$1" 2>/dev/null)" ] && return 0
    sleep 0.2
  done
  echo "test-jobs: job $1 still queued or running after $2 s:" >&2
  squeue -j "$1" >&2
  return 1
}
# states ID: the JobState of the job, or of each task of an array, one per line.
states() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }
# completed ID SECONDS WHAT: waits, then passes when every state is COMPLETED.
completed() {
  local s
  wait_gone "$1" "$2" || { fail "$3: job $1 did not end within $2 s"; scancel "$1"; return 1; }
  s=$(states "$1" | sort -u | tr '\n' ' ')
  if [ "$s" = "COMPLETED " ]; then pass "$3: job $1 COMPLETED"; return 0; fi
  fail "$3: job $1 ended $s"
  for f in results/*"$1"*.out; do [ -e "$f" ] && { echo "---- $f"; cat "$f"; }; done
  return 1
}
show_log() { echo "---- $1"; cat "$1" 2>/dev/null; }

# ---- 1 and 2: optimize, interrupted by the warning signal, and uninterrupted ----------------
a=$(sbatch --parsable -n 2 --export="ALL,RG_PROBLEM=$opt_problem,$opt_args" \
      jobs/optimize.sbatch) || { fail "sbatch jobs/optimize.sbatch"; exit 1; }
echo "test-jobs: optimize (to be interrupted) is job $a"
# Send the warning once regimen is running and has reported a few generations.
log_a="results/regimen-opt-$a.out"
sent=0
for _ in $(seq 300); do
  n=$(grep -c '^gen ' "$log_a" 2>/dev/null)
  if [ "${n:-0}" -ge 3 ]; then
    scancel --signal=USR1 --batch "$a" && sent=1
    break
  fi
  sleep 0.2
done
[ $sent = 1 ] && pass "optimize: warning signal sent to job $a while running" ||
  fail "optimize: job $a showed no progress within 60 s; no signal sent"

b=$(sbatch --parsable -n 2 --export="ALL,RG_PROBLEM=$opt_problem,$opt_args,RG_LAUNCH=srun" \
      jobs/optimize.sbatch) || { fail "sbatch jobs/optimize.sbatch"; exit 1; }
echo "test-jobs: optimize (uninterrupted) is job $b"

# ---- 3: sweep --------------------------------------------------------------------------------
cat >sweep.list <<'EOF'
# problem seed
problems/benchmarks/zdt1.cfg 1
problems/benchmarks/zdt1.cfg 2
problems/benchmarks/zdt2.cfg 1
EOF
s=$(sbatch --parsable --array=1-3 -n 1 --export="ALL,RG_LIST=sweep.list,$sweep_args" \
      jobs/sweep.sbatch) || { fail "sbatch jobs/sweep.sbatch"; exit 1; }
echo "test-jobs: sweep is array job $s"

# ---- 4: compare, submitted plainly: every problems/*.cfg ---------------------------------
c=$(sbatch --parsable jobs/compare.sbatch) || { fail "sbatch jobs/compare.sbatch"; exit 1; }
echo "test-jobs: compare is job $c"

# ---- checks: 1, the interrupted run and its continuation ----------------------------------
base_a="results/zdt1-$a"
if completed "$a" 60 "optimize (interrupted)"; then
  if [ -e "$base_a.ckpt.h5" ] && [ ! -e "$base_a.h5" ]; then
    pass "optimize: job $a left the checkpoint $base_a.ckpt.h5 and no final result"
  else
    fail "optimize: after the warning, expected $base_a.ckpt.h5 and no $base_a.h5"
    show_log "$log_a"
  fi
fi
next=$(sed -n 's/.*continuation submitted as job \([0-9]*\).*/\1/p' "$log_a" | head -n 1)
if [ -n "$next" ]; then
  pass "optimize: job $a submitted its continuation, job $next"
  if completed "$next" 90 "optimize (continuation)"; then
    if grep -q -- "--resume $base_a.ckpt.h5" "results/regimen-opt-$next.out"; then
      pass "optimize: continuation $next resumed from $base_a.ckpt.h5"
    else fail "optimize: continuation $next did not resume"; show_log "results/regimen-opt-$next.out"; fi
    [ -s "$base_a.h5" ] && [ -s "$base_a-front.csv" ] &&
      pass "optimize: the resumed run wrote $base_a.h5 and $base_a-front.csv" ||
      fail "optimize: the resumed run left no $base_a.h5 or $base_a-front.csv"
  fi
else
  fail "optimize: job $a submitted no continuation"; show_log "$log_a"
fi

# ---- checks: 2, the uninterrupted run -------------------------------------------------------
base_b="results/zdt1-$b"
if completed "$b" 90 "optimize (uninterrupted)"; then
  if [ -s "$base_b.h5" ] && [ -s "$base_b-front.csv" ]; then
    pass "optimize: wrote $base_b.h5 and $base_b-front.csv"
    grep -q "srun --mpi=pmix" "results/regimen-opt-$b.out" &&
      pass "optimize: job $b ran regimen with srun --mpi=pmix" ||
      fail "optimize: job $b did not use srun"
    if "$REGIMEN" info "$base_b.h5" >info.txt 2>&1; then
      pass "optimize: regimen info reads $base_b.h5"
      grep -q ", 2 ranks" info.txt && pass "optimize: the run used both allocated ranks" ||
        { fail "optimize: regimen info does not show 2 ranks"; cat info.txt; }
    else fail "optimize: regimen info $base_b.h5 failed"; cat info.txt; fi
  else
    fail "optimize: job $b wrote no $base_b.h5 or $base_b-front.csv"
    show_log "results/regimen-opt-$b.out"
  fi
  if [ -s "$base_a-front.csv" ]; then
    if cmp -s "$base_a-front.csv" "$base_b-front.csv"; then
      pass "optimize: interrupted + resumed front equals the uninterrupted front byte for byte"
    else
      fail "optimize: the resumed front differs from the uninterrupted one"
      diff "$base_a-front.csv" "$base_b-front.csv" | head -n 20
    fi
    if "$REGIMEN" export "$base_a.h5" --what history -o history-a.csv 2>/dev/null &&
       "$REGIMEN" export "$base_b.h5" --what history -o history-b.csv 2>/dev/null &&
       cmp -s history-a.csv history-b.csv; then
      pass "optimize: and so is its history of every generation (regimen export --what history)"
    else
      fail "optimize: the histories of the resumed and the uninterrupted run differ"
      diff history-a.csv history-b.csv 2>&1 | head -n 10
    fi
  fi
fi

# ---- checks: 3, the sweep and its merge -------------------------------------------------
if completed "$s" 90 "sweep"; then
  for f in 1-zdt1-seed1 2-zdt1-seed2 3-zdt2-seed1; do
    [ -s "results/sweep-$s/$f.h5" ] && [ -s "results/sweep-$s/$f-front.csv" ] &&
      pass "sweep: task file results/sweep-$s/$f.h5 and its front" ||
      fail "sweep: no results/sweep-$s/$f.h5 or $f-front.csv"
  done
  m=$(sed -n 's/.*merge job \([0-9]*\) submitted.*/\1/p' results/regimen-sweep-"${s}"_1.out | head -n 1)
  if [ -z "$m" ]; then
    fail "sweep: the first task submitted no merge job"; show_log "results/regimen-sweep-${s}_1.out"
  elif completed "$m" 60 "sweep merge"; then
    for p in zdt1 zdt2; do
      merged="results/sweep-$s/$p-merged.csv"
      if [ ! -s "$merged" ]; then fail "sweep: no merged front $merged"; continue; fi
      fronts=$(ls results/sweep-"$s"/*-"$p"-seed*-front.csv)
      # shellcheck disable=SC2086
      if out=$("$PY" "$here/check_merged.py" "$merged" $fronts 2>&1); then
        pass "sweep: $merged: $out"
      else fail "sweep: $merged: $out"; fi
    done
  fi
fi

# ---- checks: 4, compare -----------------------------------------------------------------------
if completed "$c" 60 "compare"; then
  csv="results/compare-$c.csv"
  if [ -s "$csv" ]; then
    # the reference: regimen compare run directly on each problem
    refs=()
    mkdir -p reference
    for p in problems/*.cfg; do
      n=$(basename "$p" .cfg)
      "$REGIMEN" compare "$p" --csv "reference/$n.csv" >/dev/null 2>&1 ||
        fail "compare: regimen compare $p failed outside SLURM"
      refs+=("$n=reference/$n.csv")
    done
    if out=$("$PY" "$here/check_compare.py" "$csv" "${refs[@]}" 2>&1); then
      pass "compare: $csv: $out"
    else fail "compare: $csv: $out"; fi
  else
    fail "compare: no $csv"; show_log "results/regimen-compare-$c.out"
  fi
fi

# ---- 5 and 6: jobs/submit from a login node, from a directory without results/ --------------
# optimize as a chain of 2 pre-submitted parts, the first stopped by the warning: the second
# resumes it (and neither job calls sbatch); sweep with the array sized from the list and the
# merge job queued by the helper.
mkdir -p "$work/elsewhere" && cd "$work/elsewhere" || exit 1
export RG_PROBLEM=$work/$opt_problem RG_SEED=5 RG_GENERATIONS=${RG_TEST_GENERATIONS:-200} \
  RG_POPULATION=${RG_TEST_POPULATION:-100} RG_CHECKPOINT_EVERY=50 RG_LOG_EVERY=1
if sub_out=$("$src/jobs/submit" optimize --chain 2 -n 2 2>&1); then
  pass "submit: jobs/submit optimize --chain 2 submitted"
else fail "submit: jobs/submit optimize failed: $sub_out"; fi
unset RG_PROBLEM RG_SEED RG_GENERATIONS RG_POPULATION RG_CHECKPOINT_EVERY RG_LOG_EVERY
p1=$(printf '%s\n' "$sub_out" | sed -n 's/.*part 1: job \([0-9]*\).*/\1/p')
p2=$(printf '%s\n' "$sub_out" | sed -n 's/.*part 2: job \([0-9]*\) (after \([0-9]*\)).*/\1/p')
if [ -n "$p1" ] && [ -n "$p2" ]; then
  sent=0
  for _ in $(seq 300); do
    n=$(grep -c '^gen ' "results/regimen-opt-$p1.out" 2>/dev/null)
    if [ "${n:-0}" -ge 3 ]; then scancel --signal=USR1 --batch "$p1" && sent=1; break; fi
    sleep 0.2
  done
  [ $sent = 1 ] || fail "submit: part 1 (job $p1) showed no progress within 60 s"
  completed "$p1" 60 "submit: optimize part 1"
  if completed "$p2" 90 "submit: optimize part 2"; then
    grep -q -- "--resume results/zdt1-$p1.ckpt.h5" "results/regimen-opt-$p2.out" &&
      pass "submit: part 2 resumed the checkpoint of part 1" ||
      { fail "submit: part 2 did not resume"; show_log "results/regimen-opt-$p2.out"; }
    if grep -q "continuation submitted" results/regimen-opt-"$p1".out results/regimen-opt-"$p2".out; then
      fail "submit: a job submitted a continuation itself"
    else pass "submit: no job called sbatch"; fi
    cmp -s "results/zdt1-$p1-front.csv" "$work/results/zdt1-$b-front.csv" &&
      pass "submit: the chained run's front equals the uninterrupted front byte for byte" ||
      fail "submit: the chained run's front differs from the uninterrupted one"
  fi
else
  fail "submit: no part ids in: $sub_out"
fi
sed "s|^problems/|$work/problems/|" "$work/sweep.list" >sweep.list
if sw_out=$(RG_GENERATIONS=30 RG_POPULATION=40 "$src/jobs/submit" sweep --list sweep.list -n 1 2>&1); then
  pass "submit: jobs/submit sweep submitted"
else fail "submit: jobs/submit sweep failed: $sw_out"; fi
sa=$(printf '%s\n' "$sw_out" | sed -n 's/^sweep: array job \([0-9]*\) (tasks 1-3)$/\1/p')
sm=$(printf '%s\n' "$sw_out" | sed -n 's/^sweep: merge job \([0-9]*\) .*/\1/p')
if [ -n "$sa" ] && [ -n "$sm" ]; then
  pass "submit: the array has one task per run of the list (1-3)"
  completed "$sa" 90 "submit: sweep"
  if completed "$sm" 60 "submit: sweep merge"; then
    for p in zdt1 zdt2; do
      [ -s "results/sweep-$sa/$p-merged.csv" ] && pass "submit: merged front of $p" ||
        { fail "submit: no results/sweep-$sa/$p-merged.csv"; show_log "results/regimen-sweep-merge-$sm.out"; }
    done
  fi
else
  fail "submit: no array or merge job in: $sw_out"
fi
cd "$work" || exit 1

if [ $failures -eq 0 ]; then
  echo "test-jobs: all checks passed"
  [ -z "${RG_TEST_WORK:-}" ] && rm -rf "$work"
  exit 0
fi
echo "test-jobs: $failures check(s) failed; files kept in $work"
exit 1
