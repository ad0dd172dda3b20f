/* The jobs/ scripts on a real single-node SLURM.
 *
 * Runs tests/slurm/cluster.sh, which starts munged, slurmctld and slurmd of its own and stops
 * them by PID on any exit, around tests/slurm/test-jobs.sh, which submits jobs/optimize.sbatch
 * (interrupted by the time-limit warning, then resumed by its continuation, against an
 * uninterrupted run), jobs/sweep.sbatch (array + merge) and jobs/compare.sbatch, and checks
 * their outputs; it prints one "ok"/"FAIL" line per check. Needs root and the packages of
 * `scripts/install-deps --slurm`; labelled `slurm` and `nosan` (tests/test_slurm.cmake), so
 * `ctest -LE slurm` leaves it out where SLURM cannot run. */
#include "rg_test.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The harness's own limit; ctest's TIMEOUT (tests/test_slurm.cmake) is longer, so that the
 * daemons are always stopped by cluster.sh rather than left behind by a killed test. */
#define HARNESS_TIMEOUT "170"

static int run(char *const argv[])
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        execv(argv[0], argv);
        perror(argv[0]);
        _exit(127);
    }
    int status;
    if (waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void prerequisites(void **state)
{
    (void)state;
    if (geteuid() != 0)
        fail_msg("the SLURM test needs root (slurmd runs jobs as their user); "
                 "leave it out with ctest -LE slurm");
    const char *need[] = {"/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd",
                          "/usr/bin/sbatch", "/usr/bin/python3"};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (access(need[i], X_OK) != 0)
            fail_msg("%s is missing: run scripts/install-deps --tests --slurm", need[i]);
}

static void jobs_on_slurm(void **state)
{
    (void)state;
    /* The submission directory: a fresh one under the test's scratch directory. */
    char work[4096];
    snprintf(work, sizeof work, "%s/work", RG_TEST_TMPDIR);
    char *const rm[] = {"/bin/rm", "-rf", work, NULL};
    assert_int_equal(run(rm), 0);
    char *const mk[] = {"/bin/mkdir", "-p", work, NULL};
    assert_int_equal(run(mk), 0);

    assert_int_equal(setenv("REGIMEN", RG_REGIMEN_EXE, 1), 0);
    assert_int_equal(setenv("RG_SOURCE_DIR", RG_SOURCE_DIR, 1), 0);
    assert_int_equal(setenv("RG_TEST_WORK", work, 1), 0);
    char *const argv[] = {RG_SOURCE_DIR "/tests/slurm/cluster.sh", "--timeout", HARNESS_TIMEOUT,
                          RG_SOURCE_DIR "/tests/slurm/test-jobs.sh", NULL};
    int rc = run(argv);
    if (rc != 0)
        fail_msg("tests/slurm/test-jobs.sh failed (exit status %d%s); see the FAIL lines above "
                 "and the files in %s",
                 rc, rc == 124 ? ", timeout" : "", work);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prerequisites),
        cmocka_unit_test(jobs_on_slurm),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
