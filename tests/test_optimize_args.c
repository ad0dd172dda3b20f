/* The command line of `regimen optimize` (src/cli/optimize_args.c, compiled into this test by
 * tests/test_optimize_args.cmake): every option into its field, and every bad value refused
 * with exit status 2 and one message naming it (none when report is off, as on workers). */
#include "rg_test.h"

#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "optimize_args.h"
#include "rg_test_util.h"

enum { MAX_ARGS = 32 };

/* Parses the NULL-terminated list, with stderr captured; *err is what it printed (caller
 * frees). Returns the parser's status. */
static int parse(const char *const list[], bool report, rg_optimize_args *o, char **err)
{
    char *argv[MAX_ARGS];
    int argc = 0;
    argv[argc++] = "optimize";
    for (int i = 0; list[i] && argc < MAX_ARGS; i++)
        argv[argc++] = (char *)list[i];
    char path[1100];
    path_in(path, sizeof path, "stderr.txt");
    fflush(stderr);
    int saved = dup(STDERR_FILENO);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(saved >= 0 && fd >= 0);
    dup2(fd, STDERR_FILENO);
    close(fd);
    int rc = rg_optimize_args_parse(argc, argv, report, o);
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    *err = read_all(path);
    assert_non_null(*err);
    return rc;
}

static void test_every_option(void **state)
{
    (void)state;
    const char *a[] = {"p.cfg",      "--seed",
                       "4294967295", "--generations",
                       "17",         "--population",
                       "5",          "--chunk",
                       "0",          "--front",
                       "f.csv",      "--quiet",
                       "--out",      "o.h5",
                       "--force",    "--checkpoint",
                       "c.h5",       "--checkpoint-every",
                       "3",          "--resume",
                       "r.h5",       NULL};
    rg_optimize_args o;
    char *err;
    assert_int_equal(parse(a, true, &o, &err), 0);
    assert_string_equal(err, "");
    free(err);
    assert_string_equal(o.problem, "p.cfg");
    assert_true(o.has_seed && o.seed == 4294967295ul);
    assert_true(o.has_generations && o.generations == 17);
    assert_true(o.has_population && o.population == 5);
    assert_true(o.has_chunk && o.chunk == 0);
    assert_string_equal(o.front, "f.csv");
    assert_true(o.quiet && o.rec.quiet && o.rec.force);
    assert_string_equal(o.rec.out, "o.h5");
    assert_string_equal(o.rec.checkpoint, "c.h5");
    assert_int_equal(o.rec.checkpoint_every, 3);
    assert_string_equal(o.rec.resume, "r.h5");
    assert_string_equal(o.rec.name, "regimen optimize");
}

static void test_defaults(void **state)
{
    (void)state;
    const char *a[] = {"only.cfg", NULL};
    rg_optimize_args o;
    char *err;
    assert_int_equal(parse(a, true, &o, &err), 0);
    free(err);
    assert_false(o.has_seed || o.has_generations || o.has_population || o.has_chunk);
    assert_false(o.quiet || o.rec.force);
    assert_null(o.front);
    assert_null(o.rec.out);
    assert_null(o.rec.resume);
    assert_int_equal(o.rec.checkpoint_every, 0);
}

/* Each bad command line and the message it gives. */
static void test_refusals(void **state)
{
    (void)state;
    static const struct {
        const char *args[4];
        const char *message;
    } bad[] = {
        {{NULL}, "usage: regimen optimize PROBLEM.cfg"},
        {{"a.cfg", "b.cfg", NULL}, "regimen optimize: more than one problem file ('b.cfg')"},
        {{"a.cfg", "--jsn", NULL}, "regimen optimize: unknown option '--jsn'"},
        {{"a.cfg", "--seed", NULL}, "regimen optimize: --seed needs a value"},
        {{"a.cfg", "--seed", "-3", NULL},
         "regimen optimize: --seed: '-3' is not a valid value"},
        {{"a.cfg", "--seed", "4294967296", NULL}, "--seed: '4294967296' is not a valid"},
        {{"a.cfg", "--generations", "0", NULL}, "--generations: '0' is not a valid value"},
        {{"a.cfg", "--population", "3", NULL}, "--population: '3' is not a valid value"},
        {{"a.cfg", "--chunk", "2.5", NULL}, "--chunk: '2.5' is not a valid value"},
        {{"a.cfg", "--out", "", NULL}, "regimen optimize: --out needs a value"},
        {{"a.cfg", "--resume", NULL}, "regimen optimize: --resume needs a value"},
        {{"a.cfg", "--checkpoint-every", "0", NULL},
         "--checkpoint-every: '0' is not a whole number of generations >= 1"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rg_optimize_args o;
        char *err;
        assert_int_equal(parse(bad[i].args, true, &o, &err), 2);
        if (!strstr(err, bad[i].message))
            fail_msg("case %zu: expected '%s', got '%s'", i, bad[i].message, err);
        free(err);
        /* the same line on a worker: refused in silence */
        assert_int_equal(parse(bad[i].args, false, &o, &err), 2);
        assert_string_equal(err, "");
        free(err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_option),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests_name("optimize_args", tests, tmp_dir_setup, NULL);
}
