/* Helpers shared by test_recorder.c and test_recorder_tumour.c (header-only: each test
 * file is its own executable). */
#ifndef RG_RECORDER_TEST_UTIL_H
#define RG_RECORDER_TEST_UTIL_H

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rg_test.h"
#include "rg_test_util.h"

#include "regimen/checkpoint.h"
#include "regimen/results.h"
#include "regimen/safefile.h"

static const char *const problem = RG_SOURCE_DIR "/problems/benchmarks/zdt1.cfg";

static inline int setup(void **state)
{
    tmp_dir_setup(state);
    char ref[1200];
    path_in(ref, sizeof ref, "reference.h5"); /* never reuse an older build's run */
    path_in(ref, sizeof ref, "tumour-reference.h5");
    return 0;
}

/* Starts regimen with the given arguments (NULL-terminated), stderr to errfile. */
static inline pid_t spawn(const char *errfile, const char *const args[])
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 2);
            dup2(fd, 1);
            close(fd);
        }
        const char *argv[32];
        size_t n = 0;
        argv[n++] = RG_REGIMEN_EXE;
        for (size_t i = 0; args[i] && n < 31; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        execv(RG_REGIMEN_EXE, (char *const *)argv);
        _exit(127);
    }
    return pid;
}

#ifdef RG_MPIEXEC
/* Starts `mpirun -np NP --oversubscribe regimen ARGS...` (root allowed), output to errfile. */
static inline pid_t spawn_mpi(const char *errfile, int np, const char *const args[])
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(errfile, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 2);
            dup2(fd, 1);
            close(fd);
        }
        setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
        setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
        char nps[16];
        snprintf(nps, sizeof nps, "%d", np);
        const char *argv[40];
        size_t n = 0;
        argv[n++] = RG_MPIEXEC;
        argv[n++] = "-np";
        argv[n++] = nps;
        argv[n++] = "--oversubscribe";
        argv[n++] = RG_REGIMEN_EXE;
        for (size_t i = 0; args[i] && n < 39; i++)
            argv[n++] = args[i];
        argv[n] = NULL;
        execv(RG_MPIEXEC, (char *const *)argv);
        _exit(127);
    }
    return pid;
}
#endif

/* A fresh front file in the test's own directory for each run that needs one (the front
 * is not what these tests look at; a run refuses to overwrite an existing one). */
static inline const char *front_sink(void)
{
    static char buf[8][1100];
    static unsigned n;
    char *b = buf[n % 8];
    snprintf(b, sizeof buf[0], "%s/front-%u.csv", tmp_dir, n);
    n++;
    unlink(b);
    return b;
}

static inline int wait_status(pid_t pid)
{
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static inline int run(const char *errfile, const char *const args[])
{
    return wait_status(spawn(errfile, args));
}

static inline void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static inline bool file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return false;
    char buf[1 << 14];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    return strstr(buf, needle) != NULL;
}

static inline void same_run(const char *a_path, const char *b_path)
{
    rg_results *a = NULL, *b = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    int rc = rg_results_read(a_path, &a, &diag);
    if (rc == RG_OK)
        rc = rg_results_read(b_path, &b, &diag);
    if (rc)
        rg_diag_print(&diag, stderr);
    assert_int_equal(rc, RG_OK);
    assert_int_equal(a->generations, b->generations);
    assert_int_equal(a->evaluations, b->evaluations);
    assert_int_equal(a->front_size, b->front_size);
    assert_true(a->front_size > 0);
    size_t L = a->genome_length, M = a->n_obj, N = a->population;
    assert_memory_equal(a->front_genomes, b->front_genomes, a->front_size * L * sizeof(double));
    assert_memory_equal(a->front_objectives, b->front_objectives,
                        a->front_size * M * sizeof(double));
    assert_int_equal(a->n_history, b->n_history);
    assert_memory_equal(a->hypervolume, b->hypervolume, a->n_history * sizeof(double));
    assert_non_null(a->archive_hypervolume);
    assert_non_null(b->archive_hypervolume);
    assert_memory_equal(a->archive_hypervolume, b->archive_hypervolume,
                        a->n_history * sizeof(double));
    assert_memory_equal(a->history_genomes, b->history_genomes,
                        a->n_history * N * L * sizeof(double));
    assert_memory_equal(a->history_generation, b->history_generation,
                        a->n_history * sizeof(uint64_t));
    assert_memory_equal(a->reference_point, b->reference_point, M * sizeof(double));
    rg_results_free(a);
    rg_results_free(b);
}

#define GENS "400"
#define POP "100"

static inline void reference_run(char *ref, size_t cap)
{
    char err[1400];
    snprintf(ref, cap, "%s/reference.h5", tmp_dir);
    if (rg_safefile_exists(ref))
        return;
    path_in(err, sizeof err, "reference.err");
    const char *args[] = {"optimize", problem,   "--generations", GENS,         "--population",
                          POP,        "--quiet", "--front",       front_sink(), "--out",
                          ref,        NULL};
    assert_int_equal(run(err, args), 0);
}

#endif
