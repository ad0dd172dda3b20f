/* regimen: the one table of problem-file keys.
 *
 * Every key a problem file may hold is one row here: its path pattern, type, unit,
 * default, valid range and a one-line description. The loader (src/io/problem_load.c)
 * checks every setting of a file against this table (unknown key, type, range, required
 * keys), and docs/problem-format.md is generated from it (`regimen check --doc-keys`), with
 * a test that fails when the two differ.
 *
 * Path patterns: groups are joined with '.', an element of a list is "[]", and the
 * user-named entries of a name-keyed group are written "<clone>", "<drug>" or
 * "<mechanism>", e.g. "clones.[].mechanisms.<mechanism>". In messages the element index
 * is written instead, counted from 0: "clones.[2].growth_rate". */
#ifndef REGIMEN_KEYS_H
#define REGIMEN_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum {
    RG_KT_REAL = 0,   /* floating point; integer literals accepted */
    RG_KT_INT,        /* integer; a real literal with a whole value is accepted */
    RG_KT_BOOL,       /* true / false */
    RG_KT_STRING,     /* free text */
    RG_KT_NAME,       /* a name: [A-Za-z][A-Za-z0-9_-]*; may refer to another entity */
    RG_KT_ENUM,       /* one of the strings listed in `values` */
    RG_KT_GROUP,      /* { ... } with the keys listed under it */
    RG_KT_LIST,       /* ( { ... }, { ... } ): a list of groups */
    RG_KT_MAP,        /* { name = real; ... } keyed by names of clones, drugs or mechanisms */
    RG_KT_NAMES,      /* [ "a", "b" ]: an array of names */
    RG_KT_REALS,      /* [ 0.0, 0.5 ]: an array of reals */
    RG_KT_REALS_LIST, /* ( [ ... ], [ ... ] ): a list of arrays of reals */
    RG_KT_STRINGS     /* [ "a.b", "c" ]: an array of free strings */
} rg_key_type;

/* Where a key may appear. */
enum {
    RG_KS_TUMOUR = 1u,    /* tumour-model problems */
    RG_KS_BENCHMARK = 2u, /* benchmark problems (top-level `problem` present) */
    RG_KS_BOTH = 3u
};

typedef struct {
    const char *path; /* pattern, e.g. "drugs.[].half_life_days" */
    rg_key_type type;
    unsigned scope;   /* RG_KS_* */
    bool required;    /* required whenever its enclosing group is present (and in scope) */
    const char *unit; /* "" when dimensionless */
    const char *def;  /* default in words ("1", "every drug", "required for bolus drugs") */
    /* valid range of a number (or of each element of an array); NaN = unbounded */
    double lo, hi;
    bool lo_open, hi_open; /* true: the bound itself is excluded */
    const char *values;    /* ENUM: allowed values separated by '|'; NAME, NAMES, MAP: the kind
                           of entity named ("drug", "clone", "mechanism", "objective") or
                           NULL for the defining name */
    size_t max_count;      /* LIST, NAMES, REALS, REALS_LIST, MAP: most entries; 0 = no limit */
    const char *doc;       /* one line */
} rg_key;

/* The table, in document order; *n receives its length. */
const rg_key *rg_keys(size_t *n);

/* The row whose path equals `pattern`; NULL when there is none. */
const rg_key *rg_key_find(const char *pattern);

/* The type's name as written in docs and messages ("real", "list of groups", ...). */
const char *rg_key_type_name(rg_key_type t);

/* Writes the valid range of a numeric row in words into buf ("> 0", "[0, 1]", "any");
 * returns buf. */
const char *rg_key_range_text(const rg_key *k, char *buf, size_t size);

/* Writes the key reference of docs/problem-format.md (the generated part: one table per
 * group, in table order) to f. Returns 0, or -1 on a write error. */
int rg_keys_write_markdown(FILE *f);

#endif
