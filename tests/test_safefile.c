/* Atomic text outputs (safefile.h): a committed file and no temporary name left behind, no
 * overwrite without force, discard on failure, and in-place writing of a FIFO. */
#include <dirent.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rg_test.h"

#include "regimen/safefile.h"

/* Number of entries in dir whose name contains ".tmp-" (temporary names of safefile). */
static int temporaries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += strstr(e->d_name, ".tmp-") != NULL;
    closedir(d);
    return n;
}

static void slurp(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
}

static int write_text(const char *path, const char *text, bool force, bool ok)
{
    rg_safefile sf;
    rg_diag d;
    rg_diag_init(&d);
    int rc = rg_safefile_open(&sf, path, force, &d);
    if (rc != RG_OK)
        return rc;
    fputs(text, sf.f);
    return rg_safefile_close(&sf, ok, force, &d);
}

static void test_commit(void **state)
{
    (void)state;
    char dir[512], path[600], buf[64];
    snprintf(dir, sizeof dir, "%s/commit", RG_TEST_TMPDIR);
    mkdir(RG_TEST_TMPDIR, 0755);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/front.csv", dir);
    unlink(path);

    assert_int_equal(write_text(path, "a,b\n2.385,7\n", false, true), RG_OK);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "a,b\n2.385,7\n");
    assert_int_equal(temporaries(dir), 0);

    /* an existing file is kept without force, replaced with it */
    assert_int_equal(write_text(path, "other\n", false, true), RG_EEXIST);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "a,b\n2.385,7\n");
    assert_int_equal(temporaries(dir), 0);
    assert_int_equal(write_text(path, "replaced\n", true, true), RG_OK);
    slurp(path, buf, sizeof buf);
    assert_string_equal(buf, "replaced\n");
    assert_int_equal(temporaries(dir), 0);

    /* a discarded output leaves neither the file nor a temporary */
    unlink(path);
    assert_int_equal(write_text(path, "half", false, false), RG_OK);
    assert_false(rg_safefile_exists(path));
    assert_int_equal(temporaries(dir), 0);

    /* a missing directory: RG_EIO */
    snprintf(path, sizeof path, "%s/missing/front.csv", dir);
    assert_int_equal(write_text(path, "x\n", false, true), RG_EIO);
}

static void test_fifo_in_place(void **state)
{
    (void)state;
    char dir[512], path[600], buf[64];
    snprintf(dir, sizeof dir, "%s/fifo", RG_TEST_TMPDIR);
    mkdir(RG_TEST_TMPDIR, 0755);
    mkdir(dir, 0755);
    snprintf(path, sizeof path, "%s/front.csv", dir);
    unlink(path);
    assert_int_equal(mkfifo(path, 0644), 0);
    int rfd = open(path, O_RDONLY | O_NONBLOCK); /* a reader, so that opening to write does
                                                  * not block */
    assert_true(rfd >= 0);

    /* an existing FIFO is written in place, without force */
    rg_safefile sf;
    assert_int_equal(rg_safefile_open(&sf, path, false, NULL), RG_OK);
    assert_true(sf.in_place);
    fputs("2.385,7\n", sf.f);
    assert_int_equal(rg_safefile_close(&sf, true, false, NULL), RG_OK);
    ssize_t n = read(rfd, buf, sizeof buf - 1);
    assert_int_equal(n, 8);
    buf[n] = '\0';
    assert_string_equal(buf, "2.385,7\n");
    close(rfd);

    /* the FIFO itself is still there, not replaced by a regular file */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(temporaries(dir), 0);

    /* a whole-file commit (what the HDF5 writer does) onto the FIFO, even with force: refused,
     * the FIFO kept, the temporary removed */
    char tmp[700];
    snprintf(tmp, sizeof tmp, "%s/.front.csv.tmp-1", dir);
    FILE *f = fopen(tmp, "w");
    assert_non_null(f);
    fputs("x\n", f);
    fclose(f);
    rg_diag d;
    rg_diag_init(&d);
    assert_int_equal(rg_safefile_commit(tmp, path, true, &d), RG_EEXIST);
    assert_true(d.count == 1 && strstr(d.msg[0], "not a regular file"));
    assert_int_equal(stat(path, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    assert_int_equal(temporaries(dir), 0);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit),
        cmocka_unit_test(test_fifo_in_place),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
