/* The command line of `regimen optimize` (optimize_args.h): every option, including those
 * that fill the recorder's plain options (recorder.h). */
#include "optimize_args.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void rg_optimize_args_usage(FILE *f)
{
    fprintf(f,
            "usage: regimen optimize PROBLEM.cfg [--seed N] [--generations N] "
            "[--population N] [--front FILE.csv] [--chunk N] [--history-every N]\n"
            "       [--log-every N] [--quiet] %s\n",
            "[--out FILE.h5] [--force] [--checkpoint FILE.h5] [--checkpoint-every N] "
            "[--resume FILE.h5]");
}

static bool parse_count(const char *s, unsigned long long max, unsigned long long *out)
{
    if (!s || !*s || *s == '-')
        return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v > max)
        return false;
    *out = v;
    return true;
}

/* Recognises a recorder option at argv[*i] (--out, --force, --checkpoint,
 * --checkpoint-every, --resume). Returns 1 when it was one (and advances *i past its
 * value), 0 when it is not a recorder option, -1 when its value is missing or invalid. */
static int recorder_option(rg_recorder_options *o, int argc, char **argv, int *i, bool report)
{
    const char *a = argv[*i];
    bool value = !strcmp(a, "--out") || !strcmp(a, "--checkpoint") ||
                 !strcmp(a, "--checkpoint-every") || !strcmp(a, "--resume");
    if (!value) {
        if (!strcmp(a, "--force")) {
            o->force = true;
            return 1;
        }
        return 0;
    }
    if (*i + 1 >= argc || !argv[*i + 1][0]) {
        if (report)
            fprintf(stderr, "regimen optimize: %s needs a value\n", a);
        return -1;
    }
    const char *v = argv[++*i];
    unsigned long long n;
    if (!strcmp(a, "--out"))
        o->out = v;
    else if (!strcmp(a, "--checkpoint"))
        o->checkpoint = v;
    else if (!strcmp(a, "--resume"))
        o->resume = v;
    else if (parse_count(v, 100000000ull, &n) && n >= 1)
        o->checkpoint_every = (size_t)n;
    else {
        if (report)
            fprintf(stderr,
                    "regimen optimize: --checkpoint-every: '%s' is not a whole number "
                    "of generations >= 1\n",
                    v);
        return -1;
    }
    return 1;
}

/* One of the command's own options with a value at argv[*i]: 1 taken, 0 not one of them,
 * -1 a bad value (reported). */
static int value_option(rg_optimize_args *o, char **argv, int *i, bool report)
{
    const char *a = argv[*i];
    unsigned long long v;
    bool ok = true;
    if (!strcmp(a, "--seed")) {
        ok = parse_count(argv[++*i], 4294967295ull, &v);
        o->seed = ok ? (unsigned long)v : 0;
        o->has_seed = true;
    } else if (!strcmp(a, "--generations")) {
        ok = parse_count(argv[++*i], 100000000ull, &v) && v >= 1;
        o->generations = ok ? (size_t)v : 0;
        o->has_generations = true;
    } else if (!strcmp(a, "--population")) {
        ok = parse_count(argv[++*i], 1000000ull, &v) && v >= 4;
        o->population = ok ? (size_t)v : 0;
        o->has_population = true;
    } else if (!strcmp(a, "--chunk")) {
        ok = parse_count(argv[++*i], 1000000ull, &v);
        o->chunk = ok ? (size_t)v : 0;
        o->has_chunk = true;
    } else if (!strcmp(a, "--history-every")) {
        ok = parse_count(argv[++*i], 100000000ull, &v) && v >= 1;
        o->history_every = ok ? (size_t)v : 0;
        o->has_history_every = true;
    } else if (!strcmp(a, "--log-every")) {
        ok = parse_count(argv[++*i], 100000000ull, &v) && v >= 1;
        o->log_every = ok ? (size_t)v : 0;
    } else if (!strcmp(a, "--front")) {
        o->front = argv[++*i];
    } else {
        return 0;
    }
    if (!ok && report)
        fprintf(stderr, "regimen optimize: %s: '%s' is not a valid value\n", a, argv[*i]);
    return ok ? 1 : -1;
}

int rg_optimize_args_parse(int argc, char **argv, bool report, rg_optimize_args *o)
{
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int mine = recorder_option(&o->rec, argc, argv, &i, report);
        if (mine < 0)
            return 2;
        if (mine > 0)
            continue;
        bool needs = !strcmp(a, "--seed") || !strcmp(a, "--generations") ||
                     !strcmp(a, "--population") || !strcmp(a, "--front") ||
                     !strcmp(a, "--chunk") || !strcmp(a, "--log-every") ||
                     !strcmp(a, "--history-every");
        if (needs && i + 1 >= argc) {
            if (report)
                fprintf(stderr, "regimen optimize: %s needs a value\n", a);
            return 2;
        }
        mine = value_option(o, argv, &i, report);
        if (mine < 0)
            return 2;
        if (mine > 0)
            continue;
        if (!strcmp(a, "--quiet")) {
            o->quiet = true;
        } else if (a[0] == '-' && a[1]) {
            if (report) {
                fprintf(stderr, "regimen optimize: unknown option '%s'\n", a);
                rg_optimize_args_usage(stderr);
            }
            return 2;
        } else if (!o->problem) {
            o->problem = a;
        } else {
            if (report)
                fprintf(stderr, "regimen optimize: more than one problem file ('%s')\n", a);
            return 2;
        }
    }
    if (!o->problem) {
        if (report)
            rg_optimize_args_usage(stderr);
        return 2;
    }
    o->rec.quiet = o->quiet;
    o->rec.name = "regimen optimize";
    return 0;
}
