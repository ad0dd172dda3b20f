/* The problem loader: libconfig text -> rg_problem (docs/model.md section 0 is the contract).
 *
 * Two passes over the libconfig tree:
 *  1. structure, against the key table of keys.c: unknown keys, types, non-finite numbers,
 *     ranges, allowed strings, names, size limits, required keys (load_structure.c);
 *  2. meaning: names resolved to indices, duplicates, the grid, per-policy keys and the
 *     rules that involve several keys; the problem is filled in (load_sections_*.c).
 * Both passes report every error they find into the caller's rg_diag, each as
 * "FILE:LINE: key.path: what is wrong"; pass 2 skips values pass 1 refused. This file holds
 * the entry points; load_internal.h lists the others. */
#include "regimen/problem_load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_internal.h"

/* ---------------------------------------------------------------- entry points */

/* Pass 2 of a tumour problem: the sections in an order where each finds the names it
 * refers to already read. */
static void read_tumour_problem(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = L->p;
    rg_load_get_real(root, "carrying_capacity", &p->carrying_capacity);
    static const char *const gr[] = {"logistic", "gompertz"};
    p->growth = (rg_growth)rg_load_parse_enum(rg_load_get_str(root, "growth"), gr, 2, 0);
    rg_load_get_real(root, "extinction_cells", &p->extinction_cells);
    bool has_em = rg_load_get_real(root, "emergence_cells", &p->emergence_cells);
    rg_load_drugs(L, root);
    rg_load_mechanisms(L, root);
    rg_load_clones(L, root);
    rg_load_mutations(L, root);
    rg_load_interactions(L, root);
    rg_load_tme(L, root);
    rg_load_neutrophils_constraints(L, root);
    rg_load_grid(L, root);
    rg_load_regimens(L, root);
    rg_load_optimize(L, root);
    rg_load_reference_point(L, root);
    double b0 = rg_problem_initial_burden(p);
    config_setting_t *cl = rg_load_get_seq(root, "clones");
    if (cl && p->n_clones > 0 && b0 == 0.0)
        rg_load_err(L, cl,
                    "the initial burden B(0) = sum of cells is 0 (at least one clone needs "
                    "cells > 0)");
    if (!has_em)
        p->emergence_cells = 0.1 * b0;
}

rg_problem *rg_load_tumour_tree(rg_loader *L, config_setting_t *root)
{
    rg_problem *p = rg_problem_alloc();
    if (!p) {
        rg_diag_add(L->diag, "%s: out of memory", L->file);
        L->errors++;
        return NULL;
    }
    L->p = p;
    rg_load_walk_group(L, root, "");
    const char *title = rg_load_get_str(root, "name");
    if (title)
        snprintf(p->name, sizeof p->name, "%s", title);
    long long sb;
    if (rg_load_get_int(root, "step_budget", &sb) && sb >= 1)
        p->step_budget = (size_t)sb;
    read_tumour_problem(L, root);
    if (L->errors > 0) {
        rg_problem_free(p);
        return NULL;
    }
    return p;
}

static int load_text(const char *text, size_t len, const char *name, const rg_cohort *patients,
                     rg_problem **out, rg_diag *diag)
{
    *out = NULL;
    rg_loader L = {.file = name,
                   .diag = diag,
                   .errors = 0,
                   .p = NULL,
                   .bench = false,
                   .resolved = patients};
    size_t first_msg = diag->count;
    if (strlen(text) != len) {
        rg_diag_add(diag, "%s:1: the file contains a NUL byte (not a text file)", name);
        return RG_EINVAL;
    }
    /* A problem file is self-contained: its text is stored in results and sent to the
     * workers, so libconfig's @include (which reads other files) is refused. */
    int include_line = rg_load_include_line(text);
    if (include_line) {
        rg_diag_add(diag,
                    "%s:%d: @include is not supported: a problem file must be "
                    "self-contained (its text is stored with the results)",
                    name, include_line);
        return RG_EINVAL;
    }
    config_t cfg;
    config_init(&cfg);
    config_set_options(&cfg, CONFIG_OPTION_AUTOCONVERT);
    if (config_read_string(&cfg, text) != CONFIG_TRUE) {
        const char *et = config_error_text(&cfg);
        const char *hint = "";
        if (et && strstr(et, "mismatched element type"))
            hint = " (every element of an array must have the same type: write 0.0, not 0, "
                   "among reals)";
        else if (et && strstr(et, "duplicate setting"))
            hint = " (a key is set twice in the same group)";
        rg_diag_add(diag, "%s:%d: %s%s", name, config_error_line(&cfg),
                    et ? et : "syntax error", hint);
        config_destroy(&cfg);
        return RG_EINVAL;
    }
    rg_problem *p = rg_problem_alloc();
    if (!p) {
        config_destroy(&cfg);
        return RG_ENOMEM;
    }
    L.p = p;
    config_setting_t *root = config_root_setting(&cfg);
    L.bench = config_setting_get_member(root, "problem") != NULL;

    rg_load_report_big_ints(&L, root, text);
    rg_load_walk_group(&L, root, "");

    const char *title = rg_load_get_str(root, "name");
    if (title)
        snprintf(p->name, sizeof p->name, "%s", title);
    long long sb;
    if (rg_load_get_int(root, "step_budget", &sb) && sb >= 1)
        p->step_budget = (size_t)sb;

    if (L.bench) {
        rg_load_benchmark(&L, root);
        rg_load_optimize(&L, root);
        rg_load_reference_point(&L, root);
    } else {
        read_tumour_problem(&L, root);
        /* the patients are loaded from the same tree once the nominal problem holds */
        if (L.errors == 0)
            rg_load_cohort(&L, root);
    }

    config_destroy(&cfg);
    rg_load_sort_messages(diag, first_msg, name);
    if (L.errors > 0) {
        rg_problem_free(p);
        return RG_EINVAL;
    }
    p->path = strdup(name);
    p->text = malloc(len + 1);
    if (!p->path || !p->text) {
        rg_problem_free(p);
        return RG_ENOMEM;
    }
    memcpy(p->text, text, len + 1);
    *out = p;
    return RG_OK;
}

/* Callers that do not want the messages may pass diag = NULL. */
static int load_text_diag(const char *text, size_t len, const char *name,
                          const rg_cohort *patients, rg_problem **out, rg_diag *diag)
{
    if (diag)
        return load_text(text, len, name, patients, out, diag);
    rg_diag *tmp = malloc(sizeof *tmp);
    if (!tmp) {
        *out = NULL;
        return RG_ENOMEM;
    }
    rg_diag_init(tmp);
    int st = load_text(text, len, name, patients, out, tmp);
    free(tmp);
    return st;
}

int rg_problem_load_string(const char *text, const char *name, rg_problem **out, rg_diag *diag)
{
    return rg_problem_load_string_cohort(text, name, NULL, out, diag);
}

int rg_problem_load_string_cohort(const char *text, const char *name, const rg_cohort *patients,
                                  rg_problem **out, rg_diag *diag)
{
    if (!name)
        name = "(string)";
    if (!text) {
        *out = NULL;
        if (diag)
            rg_diag_add(diag, "%s: no text", name);
        return RG_EINVAL;
    }
    return load_text_diag(text, strlen(text), name, patients, out, diag);
}

int rg_problem_load(const char *path, rg_problem **out, rg_diag *diag)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (diag)
            rg_diag_add(diag, "%s: cannot open: %s", path, strerror(errno));
        return RG_EIO;
    }
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    int status = RG_OK;
    while (buf) {
        size_t got = fread(buf + len, 1, cap - len - 1, f);
        len += got;
        if (got == 0)
            break;
        if (len + 1 == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    if (!buf)
        status = RG_ENOMEM;
    else if (ferror(f)) {
        if (diag)
            rg_diag_add(diag, "%s: cannot read: %s", path, strerror(errno));
        status = RG_EIO;
    }
    fclose(f);
    if (status != RG_OK) {
        free(buf);
        return status;
    }
    buf[len] = '\0';
    status = load_text_diag(buf, len, path, NULL, out, diag);
    free(buf);
    return status;
}
