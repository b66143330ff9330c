/* Test guest: a SilverLine program module. argv[1] picks the behaviour:
 *   echo IN OUT PREFIX   reads lines from the channel file IN and writes PREFIX+line to the channel file OUT,
 *                        one fputs+fflush per line, until IN ends; then prints how many lines it echoed
 *   ticks N MS           prints "tick I" on stdout (and "tock I" on stderr) N times, sleeping MS ms between them
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int echo(const char *in_path, const char *out_path, const char *prefix) {
    FILE *in = fopen(in_path, "r");
    if (!in) {
        fprintf(stderr, "cannot open %s: %s\n", in_path, strerror(errno));
        return 2;
    }
    FILE *out = fopen(out_path, "w");
    if (!out) {
        fprintf(stderr, "cannot open %s: %s\n", out_path, strerror(errno));
        return 2;
    }
    printf("echoing %s to %s\n", in_path, out_path);
    fflush(stdout);
    char line[4096];
    int count = 0;
    while (fgets(line, sizeof line, in)) {
        fputs(prefix, out);
        fputs(line, out);
        if (fflush(out) != 0) {
            fprintf(stderr, "cannot write %s: %s\n", out_path, strerror(errno));
            return 3;
        }
        count++;
    }
    if (ferror(in)) {
        fprintf(stderr, "cannot read %s: %s\n", in_path, strerror(errno));
        return 3;
    }
    printf("input ended after %d lines\n", count);
    return 0;
}

static int ticks(int count, int ms) {
    for (int i = 1; i <= count; i++) {
        printf("tick %d\n", i);
        fflush(stdout);
        fprintf(stderr, "tock %d\n", i);
        if (i < count) {
            struct timespec pause = {ms / 1000, (long)(ms % 1000) * 1000000L};
            nanosleep(&pause, NULL);
        }
    }
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "echo") == 0 && argc > 4) return echo(argv[2], argv[3], argv[4]);
    if (strcmp(mode, "ticks") == 0 && argc > 3) return ticks(atoi(argv[2]), atoi(argv[3]));
    fprintf(stderr, "usage: c-module echo IN OUT PREFIX | ticks N MS\n");
    return 64;
}
