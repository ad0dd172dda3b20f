/* The writers of export.h's tables: CSV (RFC 4180) and JSON. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "regimen/export.h"

void rg_csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const char *c = s; *c; c++) {
        if (*c == '"')
            fputc('"', f);
        fputc(*c, f);
    }
    fputc('"', f);
}

int rg_table_write_csv(const rg_table *t, FILE *f)
{
    for (size_t j = 0; j < t->n_cols; j++) {
        if (j)
            fputc(',', f);
        rg_csv_field(f, t->cols[j]);
    }
    fputc('\n', f);
    for (size_t i = 0; i < t->n_rows; i++) {
        const rg_cell *row = t->cells + i * t->n_cols;
        for (size_t j = 0; j < t->n_cols; j++) {
            if (j)
                fputc(',', f);
            if (row[j].is_text)
                rg_csv_field(f, row[j].text);
            else
                fprintf(f, "%.17g", row[j].num);
        }
        fputc('\n', f);
    }
    return ferror(f) ? RG_EIO : RG_OK;
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *c = (const unsigned char *)(s ? s : ""); *c; c++) {
        if (*c == '"' || *c == '\\')
            fprintf(f, "\\%c", *c);
        else if (*c == '\n')
            fputs("\\n", f);
        else if (*c == '\t')
            fputs("\\t", f);
        else if (*c == '\r')
            fputs("\\r", f);
        else if (*c < 0x20)
            fprintf(f, "\\u%04x", *c);
        else
            fputc(*c, f);
    }
    fputc('"', f);
}

static void json_num(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, "%.17g", x);
    else
        fputs("null", f);
}

int rg_table_write_json(const rg_table *t, FILE *f, const rg_results *meta, const char *file,
                        const char *what)
{
    fputs("{\n", f);
    if (file) {
        fputs("  \"file\": ", f);
        json_str(f, file);
        fputs(",\n", f);
    }
    if (meta) {
        fputs("  \"problem\": ", f);
        json_str(f, meta->problem_name);
        fputs(",\n  \"regimen_version\": ", f);
        json_str(f, meta->version);
        fprintf(f, ",\n  \"seed\": %lu,\n  \"n_ranks\": %d,\n  \"command_line\": ", meta->seed,
                meta->n_ranks);
        json_str(f, meta->command_line);
        fputs(",\n  \"objectives\": [", f);
        for (size_t m = 0; m < meta->n_obj; m++) {
            fputs(m ? ", " : "", f);
            json_str(f, meta->objective_names[m]);
        }
        fputs("],\n  \"maximised\": [", f);
        for (size_t m = 0; m < meta->n_obj; m++)
            fprintf(f, "%s%s", m ? ", " : "", meta->maximised[m] ? "true" : "false");
        fputs("],\n", f);
    }
    fputs("  \"what\": ", f);
    json_str(f, what);
    fputs(",\n  \"columns\": [", f);
    for (size_t j = 0; j < t->n_cols; j++) {
        fputs(j ? ", " : "", f);
        json_str(f, t->cols[j]);
    }
    fputs("],\n  \"rows\": [", f);
    for (size_t i = 0; i < t->n_rows; i++) {
        const rg_cell *row = t->cells + i * t->n_cols;
        fputs(i ? ",\n    {" : "\n    {", f);
        for (size_t j = 0; j < t->n_cols; j++) {
            fputs(j ? ", " : "", f);
            json_str(f, t->cols[j]);
            fputs(": ", f);
            if (row[j].is_text)
                json_str(f, row[j].text);
            else
                json_num(f, row[j].num);
        }
        fputc('}', f);
    }
    fputs(t->n_rows ? "\n  ]\n}\n" : "]\n}\n", f);
    return ferror(f) ? RG_EIO : RG_OK;
}
