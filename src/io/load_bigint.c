/* The problem loader's scan of the text itself, for what libconfig does not report:
 * integer literals it truncates to 32 bits, and @include directives. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "load_internal.h"

/* ---------------------------------------------------------------- 32-bit integers */

/* libconfig 1.5 reads an integer literal without the L suffix into an int, silently
 * keeping the low 32 bits (5000000000 becomes 705032704). A scan of the text finds such
 * literals so that they are refused instead of read wrong. */
typedef struct {
    int line;
    long long wrapped; /* the value libconfig stores */
    double value;      /* the value of the literal */
    char lit[48];
} big_int;

static size_t scan_big_ints(const char *t, big_int *out, size_t max, int *include_line)
{
    size_t n = 0;
    *include_line = 0;
    int line = 1;
    const char *c = t;
    while (*c) {
        if (*c == '\n') {
            line++;
            c++;
        } else if (*c == '#' || (c[0] == '/' && c[1] == '/')) {
            while (*c && *c != '\n')
                c++;
        } else if (c[0] == '/' && c[1] == '*') {
            c += 2;
            while (*c && !(c[0] == '*' && c[1] == '/')) {
                line += *c == '\n';
                c++;
            }
            if (*c)
                c += 2;
        } else if (*c == '"') {
            c++;
            while (*c && *c != '"') {
                if (*c == '\\' && c[1])
                    c++;
                line += *c == '\n';
                c++;
            }
            if (*c)
                c++;
        } else if (isalpha((unsigned char)*c) || *c == '*' || *c == '@') {
            if (*c == '@' && !*include_line)
                *include_line = line;
            c++;
            while (isalnum((unsigned char)*c) || *c == '_' || *c == '-' || *c == '*')
                c++;
        } else if (isdigit((unsigned char)*c) ||
                   ((*c == '-' || *c == '+' || *c == '.') &&
                    (isdigit((unsigned char)c[1]) ||
                     (c[1] == '.' && isdigit((unsigned char)c[2]))))) {
            const char *start = c;
            bool hex = false, real = false, suffix = false;
            if (*c == '-' || *c == '+')
                c++;
            if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X')) {
                hex = true;
                c += 2;
                while (isxdigit((unsigned char)*c))
                    c++;
            } else {
                while (isdigit((unsigned char)*c) || *c == '.' || *c == 'e' || *c == 'E' ||
                       ((*c == '-' || *c == '+') && (c[-1] == 'e' || c[-1] == 'E'))) {
                    real |= *c == '.' || *c == 'e' || *c == 'E';
                    c++;
                }
            }
            while (*c == 'L') {
                suffix = true;
                c++;
            }
            if (real || suffix)
                continue;
            errno = 0;
            long long v;
            double val;
            bool big;
            if (hex) {
                unsigned long long u =
                    strtoull(start + (*start == '-' || *start == '+') + 2, NULL, 16);
                big = errno == ERANGE || u > 0x7fffffffULL;
                v = (long long)(int)(unsigned)(u & 0xffffffffULL);
                val = *start == '-' ? -(double)u : (double)u;
            } else {
                long long w = strtoll(start, NULL, 10);
                big = errno == ERANGE || w > 2147483647LL || w < -2147483648LL;
                v = (long long)(int)(unsigned)((unsigned long long)w & 0xffffffffULL);
                val = strtod(start, NULL);
            }
            if (big && n < max) {
                out[n].line = line;
                out[n].wrapped = v;
                out[n].value = val;
                size_t len = (size_t)(c - start);
                snprintf(out[n].lit, sizeof out[n].lit, "%.*s", (int)(len < 40 ? len : 40),
                         start);
                n++;
            }
        } else {
            c++;
        }
    }
    return n;
}

static bool is_big(const rg_loader *L, const config_setting_t *s)
{
    for (size_t i = 0; i < L->n_big; i++)
        if (L->big[i] == s)
            return true;
    return false;
}

static config_setting_t *find_int_setting(rg_loader *L, config_setting_t *s, int line,
                                          long long value)
{
    int t = config_setting_type(s);
    if (t == CONFIG_TYPE_INT) {
        if ((int)config_setting_source_line(s) == line &&
            config_setting_get_int64(s) == value && !is_big(L, s))
            return s;
        return NULL;
    }
    if (t != CONFIG_TYPE_GROUP && t != CONFIG_TYPE_LIST && t != CONFIG_TYPE_ARRAY)
        return NULL;
    for (int i = 0; i < config_setting_length(s); i++) {
        config_setting_t *r =
            find_int_setting(L, config_setting_get_elem(s, (unsigned)i), line, value);
        if (r)
            return r;
    }
    return NULL;
}

int rg_load_include_line(const char *text)
{
    big_int unused[1];
    int include_line;
    scan_big_ints(text, unused, 0, &include_line);
    return include_line;
}

void rg_load_report_big_ints(rg_loader *L, config_setting_t *root, const char *text)
{
    big_int b[RG_LOAD_MAX_BIG_INTS];
    int include_line;
    size_t n = scan_big_ints(text, b, RG_LOAD_MAX_BIG_INTS, &include_line);
    for (size_t i = 0; i < n; i++) {
        config_setting_t *s = find_int_setting(L, root, b[i].line, b[i].wrapped);
        if (s) {
            /* docs/model.md section 0: real-valued keys accept integer literals, so the setting is read
             * with the literal's value; the key's type and range checks then apply */
            L->big[L->n_big] = s;
            L->big_val[L->n_big] = b[i].value;
            config_setting_set_hook(s, &L->big_val[L->n_big]);
            L->n_big++;
            continue;
        }
        const char *what = "does not fit libconfig's 32-bit integers (it would be read as "
                           "%lld): write it as a real (%s.0) or, for an integer key, with an "
                           "L suffix (%sL)";
        char path[RG_LOAD_PATH_MAX] = "", msg[RG_DIAG_MSG];
        snprintf(msg, sizeof msg, what, b[i].wrapped, b[i].lit, b[i].lit);
        if (*path)
            rg_diag_add(L->diag, "%s:%d: %s: integer %s %s", L->file, b[i].line, path, b[i].lit,
                        msg);
        else
            rg_diag_add(L->diag, "%s:%d: integer %s %s", L->file, b[i].line, b[i].lit, msg);
        L->errors++;
    }
}
