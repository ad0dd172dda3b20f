/* regimen optimize with results, checkpoints, signals and resume (recorder.h), on the ZDT1
 * benchmark and on a small tumour problem (problems/default.cfg, seeded with its standard
 * regimens): an interrupted and resumed run ends with the same front and history, bit for
 * bit, as an uninterrupted run; SIGKILL leaves a complete checkpoint or none; `regimen
 * info` names the reference-point rule the run used. */
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

static int setup(void **state)
{
    tmp_dir_setup(state);
    char ref[1200];
    path_in(ref, sizeof ref, "reference.h5"); /* never reuse an older build's run */
    path_in(ref, sizeof ref, "tumour-reference.h5");
    return 0;
}

/* Starts regimen with the given arguments (NULL-terminated), stderr to errfile. */
static pid_t spawn(const char *errfile, const char *const args[])
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
static pid_t spawn_mpi(const char *errfile, int np, const char *const args[])
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
static const char *front_sink(void)
{
    static char buf[8][1100];
    static unsigned n;
    char *b = buf[n % 8];
    snprintf(b, sizeof buf[0], "%s/front-%u.csv", tmp_dir, n);
    n++;
    unlink(b);
    return b;
}

static int wait_status(pid_t pid)
{
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run(const char *errfile, const char *const args[])
{
    return wait_status(spawn(errfile, args));
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static bool file_has(const char *path, const char *needle)
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

static void same_run(const char *a_path, const char *b_path)
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

static void reference_run(char *ref, size_t cap)
{
    char err[1400];
    snprintf(ref, cap, "%s/reference.h5", tmp_dir);
    if (rg_safefile_exists(ref))
        return;
    path_in(err, sizeof err, "reference.err");
    const char *args[] = {"optimize", problem, "--generations", GENS, "--population", POP,
                          "--quiet", "--front", front_sink(), "--out", ref, NULL};
    assert_int_equal(run(err, args), 0);
}

static void test_results_file_and_refusal(void **state)
{
    (void)state;
    char ref[1200], err[1400];
    reference_run(ref, sizeof ref);
    rg_results *r = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_read(ref, &r, &diag), RG_OK);
    assert_string_equal(r->problem_name, "zdt1");
    assert_int_equal(r->generations, 400);
    assert_int_equal(r->n_history, 401);
    assert_int_equal(r->population, 100);
    assert_int_equal(r->seed, 20021);
    assert_int_equal(r->n_ranks, 1);
    assert_non_null(strstr(r->command_line, "--generations 400"));
    assert_non_null(strstr(r->problem_text, "problem    = \"zdt1\""));
    assert_close(r->reference_point[0], 1.1, 0, 0);
    /* one row per generation, in order; the search made progress (NSGA-II's crowding cut
     * does not make the hypervolume monotone, so only the ends are compared) */
    for (size_t g = 0; g < r->n_history; g++)
        assert_int_equal(r->history_generation[g], g);
    assert_true(r->hypervolume[400] > r->hypervolume[0]);
    rg_results_free(r);
    /* a second run does not overwrite without --force: exit 2 before any work */
    path_in(err, sizeof err, "again.err");
    const char *args[] = {"optimize", problem, "--generations", "3", "--quiet", "--front",
                          front_sink(), "--out", ref, NULL};
    assert_int_equal(run(err, args), 2);
    assert_true(file_has(err, "--force"));
    same_run(ref, ref);
}

/* SIGTERM (and SIGUSR1) mid-way: checkpoint, exit 0, resume command; the resumed run ends
 * bit-identical to the reference. */
static void interrupt_and_resume(int sig, const char *name)
{
    char ref[1200], out[1200], ck[1200], err[1400], err2[1400];
    reference_run(ref, sizeof ref);
    snprintf(err, sizeof err, "%s/%s.err", tmp_dir, name);
    snprintf(out, sizeof out, "%s/%s.h5", tmp_dir, name);
    snprintf(ck, sizeof ck, "%s/%s.ck.h5", tmp_dir, name);
    unlink(out);
    unlink(ck);
    unlink(err);
    const char *a1[] = {"optimize", problem, "--generations", GENS, "--population", POP,
                        "--front", front_sink(), "--out", out, "--checkpoint", ck, NULL};
    pid_t pid = spawn(err, a1);
    /* mid-way: once the progress line of generation 20 is out (never before the handlers
     * are installed), within 60 s */
    for (int waited = 0; !file_has(err, "\ngen 20 ") && waited < 6000; waited++)
        sleep_ms(10);
    kill(pid, sig);
    assert_int_equal(wait_status(pid), 0);
    bool interrupted = rg_safefile_exists(ck);
    assert_false(rg_safefile_exists(out)); /* no results file from a stopped run */
    assert_true(file_has(err, "can be resumed"));
    assert_true(file_has(err, "--resume"));
    assert_true(interrupted);
    rg_checkpoint *c = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(ck, &c, &diag), RG_OK);
    assert_true(c->generation < 400);
    rg_checkpoint_free(c);
    /* resume with the same options plus --resume */
    snprintf(err2, sizeof err2, "%s/%s.resume.err", tmp_dir, name);
    const char *args[] = {"optimize", problem, "--generations", GENS, "--population", POP,
                          "--front", front_sink(), "--out", out, "--checkpoint", ck, "--resume",
                          ck, NULL};
    assert_int_equal(run(err2, args), 0);
    assert_true(file_has(err2, "resumed from"));
    same_run(ref, out);
    rg_results *r = NULL;
    assert_int_equal(rg_results_read(out, &r, &diag), RG_OK);
    assert_non_null(strstr(r->command_line, "resumed at generation"));
    rg_results_free(r);
}

static void test_sigterm_resume(void **state)
{
    (void)state;
    interrupt_and_resume(SIGTERM, "term");
}

static void test_sigusr1_resume(void **state)
{
    (void)state;
    interrupt_and_resume(SIGUSR1, "usr1");
}

/* --checkpoint-every, then a resume from that periodic checkpoint */
static void test_checkpoint_every(void **state)
{
    (void)state;
    char ref[1200], out[1200], ck[1200], err[1400], full[1200];
    reference_run(ref, sizeof ref);
    path_in(out, sizeof out, "every.h5");
    path_in(full, sizeof full, "every-full.h5");
    snprintf(ck, sizeof ck, "%s/every.checkpoint.h5", tmp_dir);
    unlink(ck);
    path_in(err, sizeof err, "every.err");
    /* a shorter run leaves its last periodic checkpoint (generation 150) */
    const char *args[] = {"optimize", problem, "--generations", "160", "--population", POP,
                          "--front", front_sink(), "--out", full, "--checkpoint-every", "50",
                          NULL};
    assert_int_equal(run(err, args), 0);
    assert_true(rg_safefile_exists(full));
    char ckfull[1200];
    snprintf(ckfull, sizeof ckfull, "%s/every-full.checkpoint.h5", tmp_dir);
    rg_checkpoint *c = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(ckfull, &c, &diag), RG_OK);
    assert_int_equal(c->generation, 150);
    rg_checkpoint_free(c);
    /* resuming it with --generations 400 continues to the reference's end */
    const char *args2[] = {"optimize", problem, "--generations", GENS, "--population", POP,
                           "--front", front_sink(), "--out", out, "--resume", ckfull, NULL};
    assert_int_equal(run(err, args2), 0);
    same_run(ref, out);
}

/* Foreign, damaged and mismatched checkpoints are refused with exit 2. */
static void test_resume_refusals(void **state)
{
    (void)state;
    char ref[1200], out[1200], err[1400], bad[1200];
    reference_run(ref, sizeof ref);
    path_in(out, sizeof out, "refused.h5");
    path_in(err, sizeof err, "refused.err");
    /* a results file is not a checkpoint */
    const char *a1[] = {"optimize", problem, "--quiet", "--out", out, "--resume", ref, NULL};
    assert_int_equal(run(err, a1), 2);
    assert_true(file_has(err, "not a checkpoint"));
    /* a text file */
    path_in(bad, sizeof bad, "junk.h5");
    FILE *f = fopen(bad, "w");
    fputs("junk\n", f);
    fclose(f);
    const char *a2[] = {"optimize", problem, "--quiet", "--out", out, "--resume", bad, NULL};
    assert_int_equal(run(err, a2), 2);
    assert_true(file_has(err, "not an HDF5 file"));
    /* a checkpoint of another problem (zdt2) */
    char ck2[1200], out2[1200];
    path_in(ck2, sizeof ck2, "zdt2.ck.h5");
    path_in(out2, sizeof out2, "zdt2.h5");
    const char *a3[] = {"optimize", RG_SOURCE_DIR "/problems/benchmarks/zdt2.cfg",
                        "--generations", "4", "--population", "8", "--quiet", "--front",
                        front_sink(), "--out", out2, "--checkpoint", ck2, "--checkpoint-every",
                        "2", NULL};
    assert_int_equal(run(err, a3), 0);
    assert_true(rg_safefile_exists(ck2));
    const char *a4[] = {"optimize", problem, "--population", "8", "--quiet", "--out", out,
                        "--resume", ck2, NULL};
    assert_int_equal(run(err, a4), 2);
    assert_true(file_has(err, "different problem"));
    /* the same problem with another seed */
    const char *a5[] = {"optimize", RG_SOURCE_DIR "/problems/benchmarks/zdt2.cfg",
                        "--population", "8", "--seed", "5", "--quiet", "--out", out,
                        "--resume", ck2, NULL};
    assert_int_equal(run(err, a5), 2);
    assert_true(file_has(err, "seed"));
    /* a truncated checkpoint */
    struct stat st;
    assert_int_equal(stat(ck2, &st), 0);
    assert_int_equal(truncate(ck2, st.st_size / 2), 0);
    const char *a6[] = {"optimize", RG_SOURCE_DIR "/problems/benchmarks/zdt2.cfg",
                        "--population", "8", "--quiet", "--out", out, "--resume", ck2, NULL};
    assert_int_equal(run(err, a6), 2);
    assert_true(file_has(err, "zdt2.ck.h5"));
    assert_false(rg_safefile_exists(out));
}

/* SIGKILL at random moments of a run that checkpoints every generation: the checkpoint is
 * absent or complete, and a complete one resumes to the reference's front. */
static void test_sigkill(void **state)
{
    (void)state;
    char ref[1200], out[1200], ck[1200], err[1400];
    reference_run(ref, sizeof ref);
    srand(2385);
    size_t resumed = 0;
    for (int trial = 0; trial < 4; trial++) {
        path_in(out, sizeof out, "killed.h5");
        path_in(ck, sizeof ck, "killed.ck.h5");
        path_in(err, sizeof err, "killed.err");
        const char *args[] = {"optimize", problem, "--generations", GENS, "--population", POP,
                              "--quiet", "--front", front_sink(), "--out", out,
                              "--checkpoint", ck, "--checkpoint-every", "1", NULL};
        pid_t pid = spawn(err, args);
        /* once the first checkpoint exists (slow under sanitizers), kill at a random moment */
        for (int w = 0; w < 6000 && !rg_safefile_exists(ck); w++)
            sleep_ms(5);
        sleep_ms(rand() % 60);
        kill(pid, SIGKILL);
        wait_status(pid);
        if (!rg_safefile_exists(ck))
            continue;
        rg_checkpoint *c = NULL;
        rg_diag diag;
        rg_diag_init(&diag);
        int rc = rg_checkpoint_read(ck, &c, &diag);
        if (rc)
            rg_diag_print(&diag, stderr);
        assert_int_equal(rc, RG_OK);
        assert_int_equal(c->n_hv, c->generation + 1);
        assert_int_equal(c->results->n_history, c->generation + 1);
        rg_checkpoint_free(c);
        if (rg_safefile_exists(out))
            continue; /* the run finished before the kill */
        const char *a2[] = {"optimize", problem, "--generations", GENS, "--population", POP,
                            "--quiet", "--front", front_sink(), "--out", out, "--checkpoint",
                            ck, "--resume", ck, NULL};
        assert_int_equal(run(err, a2), 0);
        same_run(ref, out);
        resumed++;
    }
    assert_true(resumed > 0);
}


/* ---- a small tumour problem: seeded with the standard regimens, trajectories, rules ---- */

static const char *const tumour = RG_SOURCE_DIR "/problems/default.cfg";
#define TGENS "24"
#define TPOP "16"

/* `regimen export FILE --what WHAT -o OUT` */
static void export_table(const char *h5, const char *what, const char *out)
{
    char err[1400];
    snprintf(err, sizeof err, "%s.err", out);
    unlink(out);
    const char *args[] = {"export", h5, "--what", what, "-o", out, NULL};
    assert_int_equal(run(err, args), 0);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    for (size_t k; (k = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += k;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap + 1);
            assert_non_null(buf);
        }
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The front and history tables of two results files are the same bytes, and the two runs
 * agree bit for bit (same_run) and on the reference-point rule. */
static void same_tumour_run(const char *a_path, const char *b_path)
{
    same_run(a_path, b_path);
    static const char *const what[] = {"front", "history", "regimens"};
    for (size_t w = 0; w < 3; w++) {
        char ea[1300], eb[1300];
        snprintf(ea, sizeof ea, "%s.%s.csv", a_path, what[w]);
        snprintf(eb, sizeof eb, "%s.%s.csv", b_path, what[w]);
        export_table(a_path, what[w], ea);
        export_table(b_path, what[w], eb);
        size_t na, nb;
        char *ta = slurp(ea, &na), *tb = slurp(eb, &nb);
        assert_true(na > 0);
        assert_int_equal(na, nb);
        assert_memory_equal(ta, tb, na);
        free(ta);
        free(tb);
    }
    rg_results *a = NULL, *b = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_read(a_path, &a, &diag), RG_OK);
    assert_int_equal(rg_results_read(b_path, &b, &diag), RG_OK);
    assert_true(a->reference_rule >= 0);
    assert_int_equal(a->reference_rule, b->reference_rule);
    assert_true(a->n_regimens > 0);
    assert_true(a->n_visits > 0 && b->traj_front.n == b->front_size);
    rg_results_free(a);
    rg_results_free(b);
}

/* The uninterrupted tumour run (its stderr, with the reference-point line, in ref.err). */
static void tumour_reference_run(char *ref, size_t cap)
{
    char err[1400];
    snprintf(ref, cap, "%s/tumour-reference.h5", tmp_dir);
    if (rg_safefile_exists(ref))
        return;
    snprintf(err, sizeof err, "%s.err", ref);
    const char *args[] = {"optimize", tumour, "--generations", TGENS, "--population", TPOP,
                          "--front", front_sink(), "--out", ref, NULL};
    assert_int_equal(run(err, args), 0);
}

/* A checkpoint of the seeded tumour problem holds the seeds' initial results and the rule. */
static void check_tumour_checkpoint(const char *ck, uint64_t generation, int n_ranks)
{
    rg_checkpoint *c = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    int rc = rg_checkpoint_read(ck, &c, &diag);
    if (rc)
        rg_diag_print(&diag, stderr);
    assert_int_equal(rc, RG_OK);
    if (generation)
        assert_int_equal(c->generation, generation);
    assert_true(c->n_seeds > 0);
    assert_int_equal(c->n_baselines, c->n_seeds);
    assert_non_null(c->baselines);
    assert_true(c->reference_rule >= 0);
    assert_int_equal(c->results->n_ranks, n_ranks);
    assert_int_equal(c->results->n_history, c->generation + 1);
    rg_checkpoint_free(c);
}

/* (a) --checkpoint-every on a tumour problem (every generation: a tumour problem's checkpoint
 * holds no trajectories, which the writer must accept), then a resume to the reference's end. */
static void test_tumour_checkpoint_every(void **state)
{
    (void)state;
    char ref[1200], out[1200], full[1200], ck[1200], err[1400];
    tumour_reference_run(ref, sizeof ref);
    path_in(full, sizeof full, "tumour-every-full.h5");
    path_in(ck, sizeof ck, "tumour-every.ck.h5");
    path_in(out, sizeof out, "tumour-every.h5");
    path_in(err, sizeof err, "tumour-every.err");
    const char *a1[] = {"optimize", tumour, "--generations", "3", "--population", TPOP,
                        "--quiet", "--front", front_sink(), "--out", full, "--checkpoint", ck,
                        "--checkpoint-every", "1", NULL};
    assert_int_equal(run(err, a1), 0);
    check_tumour_checkpoint(ck, 2, 1);
    const char *a2[] = {"optimize", tumour, "--generations", "10", "--population", TPOP,
                        "--quiet", "--front", front_sink(), "--out", full, "--force",
                        "--checkpoint", ck, "--checkpoint-every", "2", NULL};
    assert_int_equal(run(err, a2), 0);
    check_tumour_checkpoint(ck, 8, 1);
    const char *a3[] = {"optimize", tumour, "--generations", TGENS, "--population", TPOP,
                        "--quiet", "--front", front_sink(), "--out", out, "--checkpoint", ck,
                        "--resume", ck, NULL};
    assert_int_equal(run(err, a3), 0);
    same_tumour_run(ref, out);
}

/* (b) SIGUSR1 mid-way: checkpoint, exit 0; the resumed run ends identical. */
static void test_tumour_sigusr1_resume(void **state)
{
    (void)state;
    char ref[1200], out[1200], ck[1200], err[1400];
    tumour_reference_run(ref, sizeof ref);
    path_in(out, sizeof out, "tumour-usr1.h5");
    path_in(ck, sizeof ck, "tumour-usr1.ck.h5");
    path_in(err, sizeof err, "tumour-usr1.err");
    const char *a1[] = {"optimize", tumour, "--generations", TGENS, "--population", TPOP,
                        "--front", front_sink(), "--out", out, "--checkpoint", ck, NULL};
    pid_t pid = spawn(err, a1);
    for (int waited = 0; !file_has(err, "\ngen 3 ") && waited < 6000; waited++)
        sleep_ms(10);
    kill(pid, SIGUSR1);
    assert_int_equal(wait_status(pid), 0);
    assert_true(file_has(err, "can be resumed"));
    assert_false(rg_safefile_exists(out));
    check_tumour_checkpoint(ck, 0, 1);
    const char *a2[] = {"optimize", tumour, "--generations", TGENS, "--population", TPOP,
                        "--quiet", "--front", front_sink(), "--out", out, "--checkpoint", ck,
                        "--resume", ck, NULL};
    assert_int_equal(run(err, a2), 0);
    same_tumour_run(ref, out);
}

/* (d) `regimen info` names the rule the optimiser reported when it chose the reference
 * point, for the tumour run, its resumed copy and the benchmark (given reference point). */
static void info_names_rule(const char *h5, const char *rule)
{
    char info[1300];
    snprintf(info, sizeof info, "%s.info", h5);
    const char *args[] = {"info", h5, NULL};
    assert_int_equal(run(info, args), 0);
    char want[300];
    snprintf(want, sizeof want, "(%s)\n", rule);
    if (!file_has(info, want))
        fprintf(stderr, "%s: info does not say '%s'\n", h5, want);
    assert_true(file_has(info, want));
}

static void test_info_reference_rule(void **state)
{
    (void)state;
    char ref[1200], err[1300];
    tumour_reference_run(ref, sizeof ref);
    snprintf(err, sizeof err, "%s.err", ref);
    size_t n;
    char *text = slurp(err, &n);
    char *a = strstr(text, "reference point (");
    assert_non_null(a);
    a += strlen("reference point (");
    char *b = strstr(a, "):");
    assert_non_null(b);
    *b = '\0';
    info_names_rule(ref, a);
    char out[1200];
    snprintf(out, sizeof out, "%s/tumour-usr1.h5", tmp_dir);
    if (rg_safefile_exists(out))
        info_names_rule(out, a);
    free(text);
    char zref[1200];
    reference_run(zref, sizeof zref);
    info_names_rule(zref, "optimize.reference_point");
}

#ifdef RG_MPIEXEC
/* A run on 3 MPI ranks (master + 2 workers) stopped by SIGUSR1 to mpirun (Open MPI forwards
 * it to every rank) resumes on 2 ranks and ends bit-identical to the serial reference. */
static void test_mpi_resume_other_rank_count(void **state)
{
    (void)state;
    char ref[1200], out[1200], ck[1200], err[1400];
    reference_run(ref, sizeof ref);
    snprintf(err, sizeof err, "%s/mpi.err", tmp_dir);
    snprintf(out, sizeof out, "%s/mpi.h5", tmp_dir);
    snprintf(ck, sizeof ck, "%s/mpi.ck.h5", tmp_dir);
    unlink(out);
    unlink(ck);
    unlink(err);
    const char *a1[] = {"optimize", problem, "--generations", GENS, "--population", POP,
                        "--front", front_sink(), "--out", out, "--checkpoint", ck, NULL};
    pid_t pid = spawn_mpi(err, 3, a1);
    for (int waited = 0; !file_has(err, "\ngen 20 ") && waited < 12000; waited++)
        sleep_ms(10);
    kill(pid, SIGUSR1);
    assert_int_equal(wait_status(pid), 0);
    assert_true(rg_safefile_exists(ck));
    assert_false(rg_safefile_exists(out));
    assert_true(file_has(err, "can be resumed"));
    rg_checkpoint *c = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_checkpoint_read(ck, &c, &diag), RG_OK);
    assert_int_equal(c->results->n_ranks, 3);
    assert_true(c->generation >= 20 && c->generation < 400);
    rg_checkpoint_free(c);
    const char *a2[] = {"optimize", problem, "--generations", GENS, "--population", POP,
                        "--quiet", "--front", front_sink(), "--out", out, "--checkpoint", ck,
                        "--resume", ck, NULL};
    assert_int_equal(wait_status(spawn_mpi(err, 2, a2)), 0);
    same_run(ref, out);
    rg_results *r = NULL;
    assert_int_equal(rg_results_read(out, &r, &diag), RG_OK);
    assert_int_equal(r->n_ranks, 2);
    rg_results_free(r);
}

/* (c) a tumour run on 3 MPI ranks checkpointed every 4 generations resumes serially (no
 * mpirun) and ends identical to the serial reference. */
static void test_tumour_mpi_to_serial(void **state)
{
    (void)state;
    char ref[1200], out[1200], full[1200], ck[1200], err[1400];
    tumour_reference_run(ref, sizeof ref);
    path_in(full, sizeof full, "tumour-mpi-full.h5");
    path_in(ck, sizeof ck, "tumour-mpi.ck.h5");
    path_in(out, sizeof out, "tumour-mpi.h5");
    path_in(err, sizeof err, "tumour-mpi.err");
    const char *a1[] = {"optimize", tumour, "--generations", "10", "--population", TPOP,
                        "--quiet", "--front", front_sink(), "--out", full, "--checkpoint", ck,
                        "--checkpoint-every", "4", NULL};
    assert_int_equal(wait_status(spawn_mpi(err, 3, a1)), 0);
    check_tumour_checkpoint(ck, 8, 3);
    const char *a2[] = {"optimize", tumour, "--generations", TGENS, "--population", TPOP,
                        "--quiet", "--front", front_sink(), "--out", out, "--checkpoint", ck,
                        "--resume", ck, NULL};
    assert_int_equal(run(err, a2), 0);
    same_tumour_run(ref, out);
    rg_results *r = NULL;
    rg_diag diag;
    rg_diag_init(&diag);
    assert_int_equal(rg_results_read(out, &r, &diag), RG_OK);
    assert_int_equal(r->n_ranks, 1);
    rg_results_free(r);
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_results_file_and_refusal),
        cmocka_unit_test(test_sigterm_resume),
        cmocka_unit_test(test_sigusr1_resume),
        cmocka_unit_test(test_checkpoint_every),
        cmocka_unit_test(test_resume_refusals),
        cmocka_unit_test(test_sigkill),
        cmocka_unit_test(test_tumour_checkpoint_every),
        cmocka_unit_test(test_tumour_sigusr1_resume),
        cmocka_unit_test(test_info_reference_rule),
#ifdef RG_MPIEXEC
        cmocka_unit_test(test_mpi_resume_other_rank_count),
        cmocka_unit_test(test_tumour_mpi_to_serial),
#endif
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
