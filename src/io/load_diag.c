/* The problem loader's messages: every error is "FILE:LINE: key.path: what is wrong", with
 * the path of the setting as written ("clones.[2].growth_rate"); an unknown key gets the
 * nearest known key of its group ("did you mean"); the messages of one load are ordered by
 * line at the end. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load_internal.h"

/* ---------------------------------------------------------------- paths, messages */

bool rg_load_is_seq(const config_setting_t *s)
{
    int t = config_setting_type(s);
    return t == CONFIG_TYPE_LIST || t == CONFIG_TYPE_ARRAY;
}

/* "clones.[2].growth_rate" */
static void disp_path(config_setting_t *s, char *buf, size_t n)
{
    config_setting_t *par = config_setting_parent(s);
    if (!par) {
        buf[0] = '\0';
        return;
    }
    disp_path(par, buf, n);
    size_t len = strlen(buf);
    if (len >= n - 1)
        return;
    if (rg_load_is_seq(par))
        snprintf(buf + len, n - len, "%s[%d]", len ? "." : "", config_setting_index(s));
    else
        snprintf(buf + len, n - len, "%s%s", len ? "." : "", config_setting_name(s));
}

/* "clones.[].mechanisms.<mechanism>" */
void rg_load_pattern_path(config_setting_t *s, char *buf, size_t n)
{
    config_setting_t *par = config_setting_parent(s);
    if (!par) {
        buf[0] = '\0';
        return;
    }
    rg_load_pattern_path(par, buf, n);
    size_t len = strlen(buf);
    if (len >= n - 1)
        return;
    if (rg_load_is_seq(par)) {
        snprintf(buf + len, n - len, "%s[]", len ? "." : "");
        return;
    }
    const rg_key *pk = len ? rg_key_find(buf) : NULL;
    if (pk && pk->type == RG_KT_MAP)
        snprintf(buf + len, n - len, ".<%s>", pk->values);
    else
        snprintf(buf + len, n - len, "%s%s", len ? "." : "", config_setting_name(s));
}

/* A setting a cohort wrote in has no line of its own: the patient's line stands for it. */
static int line_of(const rg_loader *L, config_setting_t *s)
{
    int line = (int)config_setting_source_line(s);
    if (line <= 0 && L->patient_line > 0)
        return L->patient_line;
    return line > 0 ? line : 1;
}

static void vreport(rg_loader *L, int line, const char *path, const char *fmt, va_list ap)
{
    char what[RG_DIAG_MSG];
    vsnprintf(what, sizeof what, fmt, ap);
    const char *pre = L->patient ? " (" : "", *post = L->patient ? ")" : "";
    const char *who = L->patient ? L->patient : "";
    if (path && *path)
        rg_diag_add(L->diag, "%s:%d: %s: %s%s%s%s", L->file, line, path, what, pre, who, post);
    else
        rg_diag_add(L->diag, "%s:%d: %s%s%s%s", L->file, line, what, pre, who, post);
    L->errors++;
}

void rg_load_err(rg_loader *L, config_setting_t *s, const char *fmt, ...)
{
    char path[RG_LOAD_PATH_MAX];
    disp_path(s, path, sizeof path);
    va_list ap;
    va_start(ap, fmt);
    vreport(L, line_of(L, s), path, fmt, ap);
    va_end(ap);
}

void rg_load_err_key(rg_loader *L, config_setting_t *g, const char *key, const char *fmt, ...)
{
    config_setting_t *m = config_setting_get_member(g, key);
    char path[RG_LOAD_PATH_MAX];
    disp_path(g, path, sizeof path);
    size_t len = strlen(path);
    snprintf(path + len, sizeof path - len, "%s%s", len ? "." : "", key);
    va_list ap;
    va_start(ap, fmt);
    vreport(L, m ? line_of(L, m) : line_of(L, g), path, fmt, ap);
    va_end(ap);
}

/* ---------------------------------------------------------------- did you mean */

static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63)
        return 99;
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c)
                c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c)
                c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

const char *rg_load_last_component(const char *path)
{
    const char *dot = strrchr(path, '.');
    return dot ? dot + 1 : path;
}

bool rg_load_child_of(const rg_key *k, const char *parent)
{
    size_t pl = strlen(parent);
    if (pl == 0)
        return strchr(k->path, '.') == NULL;
    return !strncmp(k->path, parent, pl) && k->path[pl] == '.' &&
           !strchr(k->path + pl + 1, '.');
}

const char *rg_load_suggest(const char *parent, const char *name, unsigned mode)
{
    size_t nk;
    const rg_key *all = rg_keys(&nk);
    const char *best = NULL;
    size_t bestd = 3;
    for (size_t j = 0; j < nk; j++) {
        if (!rg_load_child_of(&all[j], parent) || !(all[j].scope & mode))
            continue;
        size_t dd = edit_distance(name, rg_load_last_component(all[j].path));
        if (dd < bestd) {
            bestd = dd;
            best = rg_load_last_component(all[j].path);
        }
    }
    return best;
}

/* ---------------------------------------------------------------- order */

/* Line number of a stored message "FILE:LINE: ..." (0 when there is none). */
static long msg_line(const char *msg, size_t name_len)
{
    if (strlen(msg) <= name_len || msg[name_len] != ':')
        return 0;
    return strtol(msg + name_len + 1, NULL, 10);
}

void rg_load_sort_messages(rg_diag *d, size_t from, const char *name)
{
    size_t nl = strlen(name);
    char tmp[RG_DIAG_MSG];
    for (size_t i = from + 1; i < d->count; i++) {
        long li = msg_line(d->msg[i], nl);
        size_t j = i;
        while (j > from && msg_line(d->msg[j - 1], nl) > li)
            j--;
        if (j == i)
            continue;
        memcpy(tmp, d->msg[i], RG_DIAG_MSG);
        memmove(d->msg[j + 1], d->msg[j], (i - j) * RG_DIAG_MSG);
        memcpy(d->msg[j], tmp, RG_DIAG_MSG);
    }
}
