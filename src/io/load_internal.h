/* Internal to the problem loader (not installed): the state of one load and the functions
 * its files share.
 *
 *   problem_load.c           entry points: read the text, run the two passes, sort messages
 *   load_diag.c              messages "FILE:LINE: key.path: what", "did you mean" suggestions
 *   load_structure.c         pass 1: every setting against the key table of keys.c
 *   load_get.c               pass 2's typed getters and name lookups
 *   load_sections_tumour.c   pass 2: drugs, mechanisms, clones, mutations, interactions
 *   load_sections_host.c     pass 2: tme, neutrophils, constraints, progression
 *   load_sections_regimens.c pass 2: the time grid and the regimens
 *   load_sections_optimize.c pass 2: optimize, reference point, benchmark problems
 *   load_bigint.c            integer literals libconfig truncates to 32 bits; @include
 *   load_cohort.c            the cohort group: parameter paths, patients loaded one by one
 *   load_cohort_source.c     the cohort's values: inline, CSV table, sampled
 *
 * Pass 2's getters return false when a value is absent or unusable: pass 1 has reported
 * every such case, so pass 2 reports only what involves meaning (names, duplicates, rules
 * across keys). */
#ifndef REGIMEN_IO_LOAD_INTERNAL_H
#define REGIMEN_IO_LOAD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include <libconfig.h>

#include "regimen/keys.h"
#include "regimen/problem.h"
#include "regimen/status.h"

enum { RG_LOAD_PATH_MAX = 256 };

enum { RG_LOAD_MAX_BIG_INTS = 16 };

typedef struct {
    const char *file; /* name used in messages */
    rg_diag *diag;
    size_t errors;
    rg_problem *p;
    bool bench; /* top-level `problem` present */
    /* integer literals libconfig 1.5 truncated to 32 bits: their settings and true values
     * (each setting's hook points at its value; rg_load_num_value reads it) */
    size_t n_big;
    config_setting_t *big[RG_LOAD_MAX_BIG_INTS];
    double big_val[RG_LOAD_MAX_BIG_INTS];
    /* while a cohort patient is loaded: who it is, appended to every message, and the line
     * that stands for the settings the cohort wrote in (0 otherwise) */
    const char *patient;
    int patient_line;
    /* the cohort's patients as a run stored them (rg_problem_load_string_cohort), or NULL:
     * the cohort group's source is read */
    const rg_cohort *resolved;
} rg_loader;

#if defined(__GNUC__)
#define RG_LOAD_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define RG_LOAD_PRINTF(a, b)
#endif

/* ---- load_diag.c: paths and messages ---- */

/* true for a list ( ... ) or an array [ ... ]. */
bool rg_load_is_seq(const config_setting_t *s);
/* The key-table pattern of setting s: "clones.[].mechanisms.<mechanism>". */
void rg_load_pattern_path(config_setting_t *s, char *buf, size_t n);
/* An error about setting s, at its line and path. */
void rg_load_err(rg_loader *L, config_setting_t *s, const char *fmt, ...) RG_LOAD_PRINTF(3, 4);
/* An error about key `key` of group g, which may be absent (then g's line is used). */
void rg_load_err_key(rg_loader *L, config_setting_t *g, const char *key, const char *fmt, ...)
    RG_LOAD_PRINTF(4, 5);
/* The last component of a pattern ("clones.[].cells" -> "cells"). */
const char *rg_load_last_component(const char *path);
/* Whether key row k sits directly under pattern `parent` ("" is the top level). */
bool rg_load_child_of(const rg_key *k, const char *parent);
/* The key under pattern `parent`, allowed in scope `mode`, whose name is nearest to `name`
 * (fewer than 3 edits); NULL when none is. */
const char *rg_load_suggest(const char *parent, const char *name, unsigned mode);
/* Orders the messages stored from index `from` by line (stable), so that a user reads the
 * file `name` top to bottom. */
void rg_load_sort_messages(rg_diag *d, size_t from, const char *name);

/* ---- load_structure.c: pass 1 ---- */

/* Checks every member of group g (pattern gpattern, "" for the root) against the key
 * table, recursively, then the group's required keys. */
void rg_load_walk_group(rg_loader *L, config_setting_t *g, const char *gpattern);

/* ---- load_get.c: typed getters (g may be NULL) ---- */

bool rg_load_is_number(const config_setting_t *s);
/* The value of a number setting (an integer beyond 32 bits: the literal's value). */
double rg_load_num_value(const config_setting_t *s);
bool rg_load_valid_name(const char *s);
bool rg_load_get_real(config_setting_t *g, const char *key, double *out);
bool rg_load_get_int(config_setting_t *g, const char *key, long long *out);
bool rg_load_get_bool(config_setting_t *g, const char *key, bool *out);
const char *rg_load_get_str(config_setting_t *g, const char *key);
config_setting_t *rg_load_get_group(config_setting_t *g, const char *key);
config_setting_t *rg_load_get_seq(config_setting_t *g, const char *key);
/* Element i of array a when it is a string, else NULL. */
const char *rg_load_elem_str(config_setting_t *a, int i);
/* Number of entries of a list to read, clamped to max (pass 1 reported the excess). */
size_t rg_load_count_of(config_setting_t *s, size_t max);
/* Index of v among names[0..n), fallback when v is NULL or none of them. */
int rg_load_parse_enum(const char *v, const char *const *names, int n, int fallback);
/* Whole multiple test for grid quantities: a / b within 1e-9 relative of an integer >= 1. */
bool rg_load_whole_multiple(double a, double b);

/* ---- load_get.c: names ---- */

/* Index of the drug (clone, mechanism) called `name`; -1 with an error at `at` naming the
 * known ones when there is none. */
int rg_load_find_drug(rg_loader *L, config_setting_t *at, const char *name);
int rg_load_find_clone(rg_loader *L, config_setting_t *at, const char *name);
int rg_load_find_mech(rg_loader *L, config_setting_t *at, const char *name);
/* Appends the drugs named by the string list ds (may be NULL) to drugs[] (*n of them, at
 * most RG_MAX_DRUGS): a name that is no drug of the problem is reported by
 * rg_load_find_drug, one listed twice here; either is left out. */
void rg_load_drug_list(rg_loader *L, config_setting_t *ds, int drugs[], size_t *n);
/* Reads the name of list element e into dst and reports a duplicate among the first i
 * (names stride bytes apart from base). */
void rg_load_name(rg_loader *L, config_setting_t *e, const char *kind, char *dst, size_t i,
                  size_t stride, const char *base);
/* Reads inhibitors ({drug; ic50;} list) into arr; returns the count. */
size_t rg_load_inhibitors(rg_loader *L, config_setting_t *list, rg_inhibitor *arr);

/* ---- load_sections_*.c: pass 2, one section each, in the order problem_load.c calls them */

void rg_load_drugs(rg_loader *L, config_setting_t *root);
void rg_load_mechanisms(rg_loader *L, config_setting_t *root);
void rg_load_clones(rg_loader *L, config_setting_t *root);
void rg_load_mutations(rg_loader *L, config_setting_t *root);
void rg_load_interactions(rg_loader *L, config_setting_t *root);
void rg_load_tme(rg_loader *L, config_setting_t *root);
void rg_load_neutrophils_constraints(rg_loader *L, config_setting_t *root);
void rg_load_grid(rg_loader *L, config_setting_t *root);
void rg_load_regimens(rg_loader *L, config_setting_t *root);
void rg_load_optimize(rg_loader *L, config_setting_t *root);
/* The reference point is read once the number of objectives is known. */
void rg_load_reference_point(rg_loader *L, config_setting_t *root);
void rg_load_benchmark(rg_loader *L, config_setting_t *root);

/* ---- problem_load.c ---- */

/* Pass 1 and pass 2 of a tumour problem over root, into a new problem (NULL with L->errors
 * raised on an error, or when out of memory, then with a message). */
rg_problem *rg_load_tumour_tree(rg_loader *L, config_setting_t *root);

/* ---- load_cohort.c ---- */

/* Reads the cohort group of root, when present, into L->p->cohort: resolves the values,
 * writes them into the tree patient by patient and loads each patient with
 * rg_load_tumour_tree. The tree is left modified. Errors go to L. */
void rg_load_cohort(rg_loader *L, config_setting_t *root);

/* ---- load_cohort_source.c: where the values come from ---- */

/* The values of an inline, table or sampled cohort group g into c (allocated here with
 * the right sizes; NULL on an error, reported at g's settings or the table's rows). */
rg_cohort *rg_load_cohort_values(rg_loader *L, config_setting_t *g);

/* ---- load_bigint.c ---- */

/* The line of the first @include directive of text (outside comments and strings), 0 when
 * there is none. */
int rg_load_include_line(const char *text);
/* Finds the integer literals of text that libconfig truncated to 32 bits: one that a
 * setting of root holds is read with the literal's value (L->big), any other is an error. */
void rg_load_report_big_ints(rg_loader *L, config_setting_t *root, const char *text);

#endif
