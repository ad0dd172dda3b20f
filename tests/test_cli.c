/* The command-line conventions of every subcommand: --help and -h (its help, every option,
 * on stdout, exit 0), --version and -V, `regimen help CMD`, a wrong option (named on stderr,
 * nothing on stdout, exit 2), --opt=value as --opt value, `-` as stdout, and no output
 * file overwritten without --force. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "rg_test.h"
#include "rg_test_util.h"

static const char *const commands[] = {"version", "check", "simulate", "compare", "optimize",
                                       "export",  "info",  "merge",    "show",    "report"};
enum { N_COMMANDS = sizeof commands / sizeof commands[0] };

static char out_path[1100], err_path[1100];

/* Runs `regimen ARGS` (a printf format) with stdout and stderr into files of the scratch
 * directory; returns the exit status, *out and *err the two streams (caller frees). */
static int regimen(char **out, char **err, const char *fmt, ...)
{
    char args[2048], cmd[8192];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(out_path, sizeof out_path, "%s/out.txt", tmp_dir);
    snprintf(err_path, sizeof err_path, "%s/err.txt", tmp_dir);
    snprintf(cmd, sizeof cmd, "cd '%s' && '%s' %s >'%s' 2>'%s'", tmp_dir, RG_REGIMEN_EXE, args,
             out_path, err_path);
    int st = system(cmd);
    assert_true(WIFEXITED(st));
    *out = read_all(out_path);
    *err = read_all(err_path);
    assert_non_null(*out);
    assert_non_null(*err);
    return WEXITSTATUS(st);
}

static void test_help_every_command(void **state)
{
    (void)state;
    char *out, *err;
    for (size_t i = 0; i < N_COMMANDS; i++) {
        static const char *const forms[] = {"%s --help", "%s -h", "help %s"};
        for (size_t f = 0; f < 3; f++) {
            char fmt[64];
            snprintf(fmt, sizeof fmt, forms[f], commands[i]);
            assert_int_equal(regimen(&out, &err, "%s", fmt), 0);
            char want[64];
            snprintf(want, sizeof want, "usage: regimen %s", commands[i]);
            if (strncmp(out, want, strlen(want)) != 0)
                print_error("regimen %s: stdout '%.60s'\n", fmt, out);
            assert_true(strncmp(out, want, strlen(want)) == 0);
            assert_string_equal(err, "");
            free(out);
            free(err);
        }
    }
    /* every option a command's parser knows is described in its help */
    static const char *const optimize_opts[] = {
        "--seed",       "--generations",      "--population", "--front", "--out",  "--force",
        "--checkpoint", "--checkpoint-every", "--resume",     "--chunk", "--quiet"};
    assert_int_equal(regimen(&out, &err, "optimize --help"), 0);
    for (size_t k = 0; k < sizeof optimize_opts / sizeof *optimize_opts; k++) {
        char line[64];
        snprintf(line, sizeof line, "\n  %s ", optimize_opts[k]);
        char line2[64];
        snprintf(line2, sizeof line2, "\n  %s\n", optimize_opts[k]);
        assert_true(strstr(out, line) || strstr(out, line2));
    }
    free(out);
    free(err);
    /* the list of commands */
    assert_int_equal(regimen(&out, &err, "--help"), 0);
    for (size_t i = 0; i < N_COMMANDS; i++) {
        char want[64];
        snprintf(want, sizeof want, "  regimen %s", commands[i]);
        assert_non_null(strstr(out, want));
    }
    free(out);
    free(err);
}

static void test_version_everywhere(void **state)
{
    (void)state;
    char *out, *err, *first = NULL;
    static const char *const forms[] = {"version", "--version", "-V", "optimize --version",
                                        "check -V"};
    for (size_t f = 0; f < sizeof forms / sizeof *forms; f++) {
        assert_int_equal(regimen(&out, &err, "%s", forms[f]), 0);
        assert_true(strncmp(out, "regimen ", 8) == 0);
        assert_string_equal(err, "");
        if (!first)
            first = out;
        else {
            assert_string_equal(out, first);
            free(out);
        }
        free(err);
    }
    free(first);
}

static void test_wrong_option_named(void **state)
{
    (void)state;
    char *out, *err;
    for (size_t i = 0; i < N_COMMANDS; i++) {
        assert_int_equal(regimen(&out, &err, "%s --no-such-option x", commands[i]), 2);
        if (!strstr(err, "'--no-such-option'"))
            print_error("regimen %s: stderr '%s'\n", commands[i], err);
        assert_non_null(strstr(err, "'--no-such-option'"));
        assert_string_equal(out, "");
        free(out);
        free(err);
    }
    assert_int_equal(regimen(&out, &err, "no-such-command"), 2);
    assert_non_null(strstr(err, "'no-such-command'"));
    free(out);
    free(err);
    assert_int_equal(regimen(&out, &err, "help no-such-command"), 2);
    assert_string_equal(out, "");
    free(out);
    free(err);
    /* a value missing at the end of the line is named too */
    assert_int_equal(
        regimen(&out, &err, "optimize %s/problems/default.cfg --generations", RG_SOURCE_DIR),
        2);
    assert_non_null(strstr(err, "--generations"));
    free(out);
    free(err);
}

/* --opt=value means --opt value; - is stdout; nothing is overwritten without --force. */
static void test_equals_stdout_force(void **state)
{
    (void)state;
    char *out, *err, *out2, *err2;
    const char *zdt = RG_SOURCE_DIR "/problems/benchmarks/zdt1.cfg";
    const char *dflt = RG_SOURCE_DIR "/problems/default.cfg";
    char front[1200], stale[1200];
    path_in(front, sizeof front, "a.csv"); /* this test's files, from a run before */
    static const char *const files[] = {"a.h5", "b.h5", "t.csv", "c.csv", "r.html"};
    for (size_t i = 0; i < 5; i++)
        path_in(stale, sizeof stale, files[i]);
    /* the same run with --opt=value and --opt value: the same front */
    assert_int_equal(regimen(&out, &err,
                             "optimize %s --generations=3 --population=8 --seed=5 --quiet "
                             "--front=a.csv --out=a.h5",
                             zdt),
                     0);
    assert_string_equal(out, ""); /* optimize writes nothing to stdout unless asked */
    free(out);
    free(err);
    assert_int_equal(regimen(&out, &err,
                             "optimize %s --generations 3 --population 8 --seed 5 "
                             "--quiet --front - --out b.h5",
                             zdt),
                     0);
    char *a = read_all(front);
    assert_non_null(a);
    assert_string_equal(out, a); /* --front - : the front CSV alone on stdout */
    free(a);
    free(out);
    free(err);
    /* an existing front, results file or CSV is refused without --force, exit 2 */
    assert_int_equal(regimen(&out, &err,
                             "optimize %s --generations 2 --population 8 --quiet --front a.csv",
                             zdt),
                     2);
    assert_non_null(strstr(err, "a.csv: exists"));
    free(out);
    free(err);
    assert_int_equal(regimen(&out, &err, "simulate %s --csv=t.csv", dflt), 0);
    free(out);
    free(err);
    assert_int_equal(regimen(&out, &err, "simulate %s --csv t.csv", dflt), 2);
    assert_non_null(strstr(err, "t.csv: exists"));
    free(out);
    free(err);
    assert_int_equal(regimen(&out, &err, "compare %s --csv=c.csv", dflt), 0);
    free(out);
    free(err);
    assert_int_equal(regimen(&out, &err, "compare %s --csv c.csv", dflt), 2);
    assert_non_null(strstr(err, "c.csv: exists"));
    free(out);
    free(err);
    assert_int_equal(regimen(&out, &err, "compare %s --csv c.csv --force", dflt), 0);
    free(out);
    free(err);
    /* simulate --csv - and compare --csv -: the CSV alone on stdout, as in the file */
    assert_int_equal(regimen(&out, &err, "simulate %s --csv -", dflt), 0);
    assert_int_equal(regimen(&out2, &err2, "simulate %s --csv t.csv --force", dflt), 0);
    char tpath[1200];
    snprintf(tpath, sizeof tpath, "%s/t.csv", tmp_dir);
    char *t = read_all(tpath);
    assert_non_null(t);
    assert_string_equal(out, t);
    free(t);
    free(out);
    free(err);
    free(out2);
    free(err2);
    assert_int_equal(regimen(&out, &err, "compare %s --csv -", dflt), 0);
    char cpath[1200];
    snprintf(cpath, sizeof cpath, "%s/c.csv", tmp_dir);
    char *c = read_all(cpath);
    assert_non_null(c);
    assert_string_equal(out, c);
    free(c);
    free(out);
    free(err);
    /* export --what=history and -o -: stdout */
    assert_int_equal(regimen(&out, &err, "export a.h5 --what=history -o -"), 0);
    assert_true(strncmp(out, "generation,", 11) == 0);
    free(out);
    free(err);
    /* report --output=FILE, refused again without --force; -o -: the same page on stdout */
    assert_int_equal(regimen(&out, &err, "report a.h5 --output=r.html"), 0);
    free(out);
    free(err);
    assert_int_equal(regimen(&out, &err, "report a.h5 -o r.html"), 2);
    assert_non_null(strstr(err, "r.html: exists"));
    free(out);
    free(err);
    assert_int_equal(regimen(&out, &err, "report a.h5 -o -"), 0);
    char rpath[1200];
    snprintf(rpath, sizeof rpath, "%s/r.html", tmp_dir);
    char *page = read_all(rpath);
    assert_non_null(page);
    assert_string_equal(out, page);
    free(page);
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_help_every_command),
        cmocka_unit_test(test_version_everywhere),
        cmocka_unit_test(test_wrong_option_named),
        cmocka_unit_test(test_equals_stdout_force),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, NULL);
}
