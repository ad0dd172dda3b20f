# The SLURM test starts its own munged/slurmctld/slurmd (tests/slurm/cluster.sh) and runs jobs
# that use both cores of this machine: not under the sanitizers, never two at once, with a
# timeout longer than the harness's own (170 s), so that the harness always stops its daemons.
set_tests_properties(${RG_TEST} PROPERTIES
  TIMEOUT 200 LABELS "slurm;nosan" PROCESSORS 2 RUN_SERIAL TRUE)
