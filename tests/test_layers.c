/* The layers of docs/architecture.md hold: no file includes a header of a higher layer or
 * an outside library's header outside the layers that the page allows, and no layer's
 * library leaves an rg_ symbol undefined that only a higher layer defines.
 *
 * The checker reads the tables of docs/architecture.md (layers lowest first, each with its
 * public headers; outside headers with the layers allowed to include them). It is first run
 * on a small tree made in the scratch directory with one violation of each kind, so that a
 * checker that finds nothing fails here, then on the repository and its libraries. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <ctype.h>
#include <dirent.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "rg_test.h"
#include "rg_test_util.h"

enum { MAX_LAYERS = 8, MAX_HEADERS = 64, MAX_EXT = 8, NAME = 64 };

typedef struct {
    size_t n_layers;
    char layer[MAX_LAYERS][NAME];
    size_t n_headers;
    char header[MAX_HEADERS][NAME]; /* "status.h" */
    size_t header_layer[MAX_HEADERS];
    size_t n_ext;
    char ext[MAX_EXT][NAME]; /* "mpi.h", or "gsl/" for a prefix */
    bool ext_allowed[MAX_EXT][MAX_LAYERS];
} arch;

/* The backquoted words of s, in order, into words[]; returns how many. */
static size_t backquoted(const char *s, char words[][NAME], size_t cap)
{
    size_t n = 0;
    for (const char *p = strchr(s, '`'); p && n < cap; p = strchr(p, '`')) {
        const char *q = strchr(p + 1, '`');
        if (!q)
            break;
        size_t len = (size_t)(q - p - 1);
        if (len < NAME) {
            memcpy(words[n], p + 1, len);
            words[n][len] = '\0';
            n++;
        }
        p = q + 1;
    }
    return n;
}

static long layer_index(const arch *a, const char *name)
{
    for (size_t i = 0; i < a->n_layers; i++)
        if (strcmp(a->layer[i], name) == 0)
            return (long)i;
    return -1;
}

/* Table cell `col` (0-based) of a markdown row "| a | b | c |" into out. */
static void cell(const char *row, int col, char *out, size_t cap)
{
    const char *p = row;
    for (int c = 0; c < col && p; c++)
        p = strchr(p + 1, '|');
    const char *start = p;
    const char *end = p ? strchr(p + 1, '|') : NULL;
    if (!start || !end) {
        out[0] = '\0';
        return;
    }
    size_t len = (size_t)(end - start - 1);
    if (len >= cap)
        len = cap - 1;
    memcpy(out, start + 1, len);
    out[len] = '\0';
}

/* Reads the two tables of the architecture page. Returns false when either is missing. */
static bool arch_read(const char *path, arch *a)
{
    memset(a, 0, sizeof *a);
    char *text = read_all(path);
    if (!text)
        return false;
    int table = 0; /* 1: layers, 2: outside libraries */
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "## ", 3) == 0)
            table = strstr(line, "Layers") ? 1 : strstr(line, "Outside") ? 2 : 0;
        if (line[0] != '|' || strncmp(line, "|---", 4) == 0 || !strchr(line, '`'))
            continue;
        char c0[256], c2[1024], words[MAX_HEADERS][NAME];
        cell(line, 0, c0, sizeof c0);
        if (table == 1 && a->n_layers < MAX_LAYERS && backquoted(c0, words, 1) == 1) {
            size_t li = a->n_layers++;
            snprintf(a->layer[li], NAME, "%s", words[0]);
            cell(line, 2, c2, sizeof c2);
            size_t n = backquoted(c2, words, MAX_HEADERS);
            for (size_t i = 0; i < n && a->n_headers < MAX_HEADERS; i++) {
                snprintf(a->header[a->n_headers], NAME, "%s", words[i]);
                a->header_layer[a->n_headers++] = li;
            }
        } else if (table == 2 && a->n_ext < MAX_EXT && backquoted(c0, words, 1) == 1) {
            size_t ei = a->n_ext++;
            snprintf(a->ext[ei], NAME, "%s", words[0]);
            char *star = strchr(a->ext[ei], '*');
            if (star)
                *star = '\0'; /* "gsl/" followed by a star matches every header under gsl/ */
            cell(line, 1, c2, sizeof c2);
            size_t n = backquoted(c2, words, MAX_LAYERS);
            for (size_t i = 0; i < n; i++) {
                long li = layer_index(a, words[i]);
                if (li >= 0)
                    a->ext_allowed[ei][li] = true;
            }
        }
    }
    free(text);
    return a->n_layers > 1 && a->n_headers > 0 && a->n_ext > 0;
}

static long header_layer(const arch *a, const char *h)
{
    for (size_t i = 0; i < a->n_headers; i++)
        if (strcmp(a->header[i], h) == 0)
            return (long)a->header_layer[i];
    return -1;
}

/* One file's include lines against the layer it sits in (dir: its folder, for private
 * headers; root: the layer's folder, which a private include may not leave). Prints and
 * counts each violation. */
static int check_file(const arch *a, const char *path, const char *dir, const char *root,
                      size_t layer)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("  %s: cannot be read\n", path);
        return 1;
    }
    int bad = 0, lineno = 0;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        lineno++;
        const char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        if (*p != '#')
            continue;
        p++;
        while (isspace((unsigned char)*p))
            p++;
        if (strncmp(p, "include", 7) != 0)
            continue;
        p += 7;
        while (isspace((unsigned char)*p))
            p++;
        char open = *p, close = open == '<' ? '>' : '"';
        const char *end = strchr(p + 1, close);
        if ((open != '<' && open != '"') || !end)
            continue;
        char name[256];
        snprintf(name, sizeof name, "%.*s", (int)(end - p - 1), p + 1);
        if (open == '"' && strncmp(name, "regimen/", 8) == 0) {
            long hl = header_layer(a, name + 8);
            if (hl < 0) {
                printf("  %s:%d: %s is in no layer of docs/architecture.md\n", path, lineno,
                       name);
                bad++;
            } else if ((size_t)hl > layer) {
                printf("  %s:%d: %s (layer %s) included from layer %s\n", path, lineno, name,
                       a->layer[hl], a->layer[layer]);
                bad++;
            }
        } else if (open == '"') {
            char local[4096], real[PATH_MAX], real_root[PATH_MAX];
            snprintf(local, sizeof local, "%s/%s", dir, name);
            bool inside = realpath(local, real) && realpath(root, real_root) &&
                          strncmp(real, real_root, strlen(real_root)) == 0 &&
                          real[strlen(real_root)] == '/';
            if (!inside) {
                printf("  %s:%d: \"%s\" is not a header of the same layer's folder\n", path,
                       lineno, name);
                bad++;
            }
        } else {
            for (size_t e = 0; e < a->n_ext; e++) {
                size_t len = strlen(a->ext[e]);
                bool prefix = a->ext[e][len - 1] == '/';
                bool match =
                    prefix ? strncmp(name, a->ext[e], len) == 0 : strcmp(name, a->ext[e]) == 0;
                if (match && !a->ext_allowed[e][layer]) {
                    printf("  %s:%d: <%s> included from layer %s\n", path, lineno, name,
                           a->layer[layer]);
                    bad++;
                }
            }
        }
    }
    fclose(f);
    return bad;
}

static bool is_source(const char *name)
{
    size_t n = strlen(name);
    return n > 2 && name[n - 2] == '.' && (name[n - 1] == 'c' || name[n - 1] == 'h');
}

/* Every .c/.h of dir and its subfolders, checked as layer `layer` whose folder is root. */
static int check_dir(const arch *a, const char *dir, const char *root, size_t layer, int *files)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    int bad = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (de->d_name[0] != '.' && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            bad += check_dir(a, path, root, layer, files);
            continue;
        }
        if (!is_source(de->d_name))
            continue;
        bad += check_file(a, path, dir, root, layer);
        (*files)++;
    }
    closedir(d);
    return bad;
}

/* The include graph of the tree at root: src/<layer>/ and include/regimen/. Headers of
 * include/regimen/ missing from the page, and headers the page names that do not exist,
 * count as violations. */
static int check_includes(const arch *a, const char *root, int *files)
{
    int bad = 0;
    char dir[2048];
    for (size_t l = 0; l < a->n_layers; l++) {
        snprintf(dir, sizeof dir, "%s/src/%s", root, a->layer[l]);
        bad += check_dir(a, dir, dir, l, files);
    }
    snprintf(dir, sizeof dir, "%s/include/regimen", root);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!is_source(de->d_name))
            continue;
        long hl = header_layer(a, de->d_name);
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (hl < 0) {
            printf("  %s: in no layer of docs/architecture.md\n", path);
            bad++;
            continue;
        }
        bad += check_file(a, path, dir, dir, (size_t)hl);
        (*files)++;
    }
    closedir(d);
    for (size_t i = 0; i < a->n_headers; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, a->header[i]);
        if (stat(path, &st) != 0) {
            printf("  docs/architecture.md names %s, which does not exist\n", a->header[i]);
            bad++;
        }
    }
    return bad;
}

/* ---- symbols: the libraries themselves ---- */

typedef struct {
    size_t n, cap;
    char **name;
} names;

static void names_add(names *s, const char *n)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 256;
        s->name = realloc(s->name, s->cap * sizeof *s->name);
        assert_non_null(s->name);
    }
    s->name[s->n] = strdup(n);
    assert_non_null(s->name[s->n]);
    s->n++;
}

static bool names_has(const names *s, const char *n)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->name[i], n) == 0)
            return true;
    return false;
}

static void names_free(names *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->name[i]);
    free(s->name);
    memset(s, 0, sizeof *s);
}

/* The rg_ symbols that nm lists for archive with the given flags ("-u": undefined,
 * "-g --defined-only": defined and global). */
static void nm_symbols(const char *archive, const char *flags, names *out)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s '%s' 2>/dev/null", RG_NM, flags, archive);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[1024];
    while (fgets(line, sizeof line, p)) {
        char *sym = strrchr(line, ' ');
        sym = sym ? sym + 1 : line;
        sym[strcspn(sym, "\r\n")] = '\0';
        if (strncmp(sym, "rg_", 3) == 0 && !names_has(out, sym))
            names_add(out, sym);
    }
    assert_int_equal(pclose(p), 0);
}

/* archives[l] is layer l's library. Counts the rg_ symbols a library needs that neither it
 * nor a lower layer's library defines. */
static int check_symbols(const arch *a, char archives[][1024], size_t n_archives, bool print)
{
    int bad = 0;
    names defined[MAX_LAYERS] = {{0}};
    for (size_t l = 0; l < n_archives; l++)
        nm_symbols(archives[l], "-g --defined-only", &defined[l]);
    for (size_t l = 0; l < n_archives; l++) {
        names undef = {0};
        nm_symbols(archives[l], "-u", &undef);
        for (size_t i = 0; i < undef.n; i++) {
            bool below = false;
            for (size_t k = 0; k <= l && !below; k++)
                below = names_has(&defined[k], undef.name[i]);
            if (below)
                continue;
            long owner = -1;
            for (size_t k = l + 1; k < n_archives && owner < 0; k++)
                if (names_has(&defined[k], undef.name[i]))
                    owner = (long)k;
            if (print)
                printf("  layer %s calls %s, defined %s%s\n", a->layer[l], undef.name[i],
                       owner >= 0 ? "in layer " : "nowhere", owner >= 0 ? a->layer[owner] : "");
            bad++;
        }
        names_free(&undef);
    }
    for (size_t l = 0; l < n_archives; l++)
        names_free(&defined[l]);
    return bad;
}

/* The archives of RG_LAYER_ARCHIVES ("core=/path/libregimen_core.a,model=..."), in the
 * page's layer order. Returns how many were found. */
static size_t layer_archives(const arch *a, char archives[][1024])
{
    size_t found = 0;
    for (size_t l = 0; l < a->n_layers; l++) {
        char key[NAME + 2];
        snprintf(key, sizeof key, "%s=", a->layer[l]);
        const char *p = strstr(RG_LAYER_ARCHIVES, key);
        archives[l][0] = '\0';
        if (!p)
            continue;
        p += strlen(key);
        size_t len = strcspn(p, ",");
        snprintf(archives[l], 1024, "%.*s", (int)len, p);
        found++;
    }
    return found;
}

/* ---- tests ---- */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* A two-layer tree with one violation of each kind: an upward public include, a foreign
 * local include, an outside header in the wrong layer, an unlisted header. */
static void test_checker_finds_violations(void **state)
{
    (void)state;
    char root[1200], p[1400];
    snprintf(root, sizeof root, "%s/tree", tmp_dir);
    const char *dirs[] = {"",         "/docs",           "/src", "/src/low", "/src/high",
                          "/include", "/include/regimen"};
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        snprintf(p, sizeof p, "%s%s", root, dirs[i]);
        mkdir(p, 0755);
    }
    snprintf(p, sizeof p, "%s/docs/architecture.md", root);
    write_file(p, "## Layers\n| layer | owns | public headers |\n|---|---|---|\n"
                  "| `low` | x | `low.h` |\n| `high` | y | `high.h` |\n\n"
                  "## Outside libraries\n| header | layers |\n|---|---|\n"
                  "| `mpi.h` | `high` |\n");
    snprintf(p, sizeof p, "%s/include/regimen/low.h", root);
    write_file(p, "#include <stdio.h>\n");
    snprintf(p, sizeof p, "%s/include/regimen/high.h", root);
    write_file(p, "#include \"regimen/low.h\"\n#include <mpi.h>\n");
    snprintf(p, sizeof p, "%s/include/regimen/stray.h", root);
    write_file(p, "\n");
    snprintf(p, sizeof p, "%s/src/high/high.c", root);
    write_file(p, "#include \"regimen/high.h\"\n#include \"regimen/low.h\"\n");
    snprintf(p, sizeof p, "%s/src/low/private.h", root);
    write_file(p, "\n");
    snprintf(p, sizeof p, "%s/src/low/sub", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/src/low/sub/deep.c", root);
    write_file(p, "#include \"../private.h\"\n#include \"../../high/high.c\"\n");
    snprintf(p, sizeof p, "%s/src/low/low.c", root);
    write_file(p, "#include \"regimen/low.h\"\n#include \"private.h\"\n"
                  "# include \"regimen/high.h\"\n#include \"../high/x.h\"\n"
                  "#include <mpi.h>\n");

    arch a;
    snprintf(p, sizeof p, "%s/docs/architecture.md", root);
    assert_true(arch_read(p, &a));
    assert_int_equal(a.n_layers, 2);
    int files = 0;
    /* low.c: the upward include, the foreign local header, mpi.h; sub/deep.c: a private
     * include that leaves its layer's folder; stray.h unlisted */
    assert_int_equal(check_includes(&a, root, &files), 5);
    assert_int_equal(files, 6);
}

static void test_repository_includes(void **state)
{
    (void)state;
    arch a;
    assert_true(arch_read(RG_SOURCE_DIR "/docs/architecture.md", &a));
    assert_int_equal(a.n_layers, 7);
    int files = 0;
    int bad = check_includes(&a, RG_SOURCE_DIR, &files);
    printf("  %d files checked, %d violations\n", files, bad);
    assert_true(files > 50);
    assert_int_equal(bad, 0);
}

static void test_repository_symbols(void **state)
{
    (void)state;
    arch a;
    assert_true(arch_read(RG_SOURCE_DIR "/docs/architecture.md", &a));
    char archives[MAX_LAYERS][1024];
    assert_int_equal(layer_archives(&a, archives), a.n_layers);
    /* each layer's own library defines something: a wrong path fails here, not silently */
    for (size_t l = 0; l < a.n_layers; l++) {
        names def = {0};
        nm_symbols(archives[l], "-g --defined-only", &def);
        assert_true(def.n > 0);
        names_free(&def);
    }
    assert_int_equal(check_symbols(&a, archives, a.n_layers, true), 0);

    /* the same libraries with the order reversed: every downward call becomes an upward
     * one, so a checker that misses calls fails here */
    arch r = a;
    char reversed[MAX_LAYERS][1024];
    for (size_t l = 0; l < a.n_layers; l++) {
        snprintf(r.layer[l], NAME, "%s", a.layer[a.n_layers - 1 - l]);
        memcpy(reversed[l], archives[a.n_layers - 1 - l], sizeof reversed[l]);
    }
    assert_true(check_symbols(&r, reversed, r.n_layers, false) > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker_finds_violations),
        cmocka_unit_test(test_repository_includes),
        cmocka_unit_test(test_repository_symbols),
    };
    return cmocka_run_group_tests(tests, tmp_dir_setup, NULL);
}
