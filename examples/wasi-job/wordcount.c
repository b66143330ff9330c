/*
 * A WASI command module run as a Wafer job: counts the lines, words and bytes of stdin, like wc.
 *   args:  [--save NAME]  also writes the counts to /data/NAME (the folder the manifest grants)
 *   env:   LABEL          a label printed with the counts
 *   exit:  0 when there was input, 1 when stdin was empty, 2 when saving failed
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    const char *save = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--save") == 0 && i + 1 < argc) save = argv[++i];
        else fprintf(stderr, "ignoring argument '%s'\n", argv[i]);
    }

    long lines = 0, words = 0, bytes = 0;
    int c, in_word = 0;
    while ((c = getchar()) != EOF) {
        bytes++;
        if (c == '\n') lines++;
        if (isspace(c)) in_word = 0;
        else if (!in_word) in_word = 1, words++;
    }

    const char *label = getenv("LABEL");
    char report[256];
    snprintf(report, sizeof report, "%s%slines=%ld words=%ld bytes=%ld\n", label ? label : "", label ? ": " : "",
             lines, words, bytes);
    fputs(report, stdout);

    if (save != NULL) {
        char path[512];
        snprintf(path, sizeof path, "/data/%s", save);
        FILE *f = fopen(path, "w");
        if (f == NULL || fputs(report, f) < 0 || fclose(f) != 0) {
            perror(path);
            return 2;
        }
        fprintf(stderr, "saved %s\n", path);
    }
    return bytes == 0 ? 1 : 0;
}
