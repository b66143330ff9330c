/* Test guest: a WASI command module run as a job. argv[1] picks the behaviour; see the cases below. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

static int usage(void) {
    fprintf(stderr, "usage: c-job hello|args|env NAME...|stdin|exit N|spam N|loop|sleep S|alloc MB|grow|read PATH|write PATH TEXT|list PATH|trap\n");
    return 64;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "hello";
    if (strcmp(mode, "hello") == 0) {
        printf("hello from a job\n");
        fprintf(stderr, "a line on stderr\n");
        return 0;
    }
    if (strcmp(mode, "args") == 0) {
        for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
        return 0;
    }
    if (strcmp(mode, "env") == 0) {
        int count = 0;
        for (char **e = environ; *e; e++) count++;
        printf("environ=%d\n", count);
        for (int i = 2; i < argc; i++) {
            const char *value = getenv(argv[i]);
            printf("%s=%s\n", argv[i], value ? value : "(unset)");
        }
        return 0;
    }
    if (strcmp(mode, "stdin") == 0) {
        char buffer[4096];
        size_t n, total = 0;
        printf("stdin:");
        while ((n = fread(buffer, 1, sizeof buffer, stdin)) > 0) {
            fwrite(buffer, 1, n, stdout);
            total += n;
        }
        printf("\nbytes=%zu\n", total);
        return 0;
    }
    if (strcmp(mode, "exit") == 0 && argc > 2) {
        fprintf(stderr, "exiting with %s\n", argv[2]);
        exit(atoi(argv[2]));
    }
    if (strcmp(mode, "spam") == 0 && argc > 2) {
        long n = atol(argv[2]);
        static char xs[4096], ys[4096];
        memset(xs, 'x', sizeof xs);
        memset(ys, 'y', sizeof ys);
        for (long left = n; left > 0; left -= (long)sizeof xs) fwrite(xs, 1, left < (long)sizeof xs ? (size_t)left : sizeof xs, stdout);
        for (long left = n / 2; left > 0; left -= (long)sizeof ys) fwrite(ys, 1, left < (long)sizeof ys ? (size_t)left : sizeof ys, stderr);
        return 0;
    }
    if (strcmp(mode, "loop") == 0) {
        printf("looping\n");
        fflush(stdout);
        for (volatile unsigned long i = 0;; i++) {
        }
    }
    if (strcmp(mode, "sleep") == 0 && argc > 2) {
        printf("sleeping\n");
        fflush(stdout);
        sleep((unsigned)atoi(argv[2]));
        printf("woke up\n");
        return 0;
    }
    if (strcmp(mode, "grow") == 0) {
        /* Takes memory 1 MiB at a time, touching it, and traps when there is no more: out of memory at the cap. */
        for (;;) {
            volatile char *chunk = malloc(1024 * 1024);
            if (chunk == NULL) __builtin_trap();
            for (size_t i = 0; i < 1024 * 1024; i += 4096) chunk[i] = 1;
        }
    }
    if (strcmp(mode, "alloc") == 0 && argc > 2) {
        size_t bytes = (size_t)atol(argv[2]) * 1024 * 1024;
        char *p = malloc(bytes);
        if (p == NULL) {
            fprintf(stderr, "allocation of %s MiB failed\n", argv[2]);
            return 12;
        }
        /* Volatile stores: the compiler may not drop the allocation as unused. */
        volatile char *touch = p;
        for (size_t i = 0; i < bytes; i += 4096) touch[i] = 1;
        printf("allocated %s MiB\n", argv[2]);
        return 0;
    }
    if (strcmp(mode, "read") == 0 && argc > 2) {
        FILE *f = fopen(argv[2], "r");
        if (f == NULL) {
            perror(argv[2]);
            return 2;
        }
        char buffer[4096];
        size_t n;
        while ((n = fread(buffer, 1, sizeof buffer, f)) > 0) fwrite(buffer, 1, n, stdout);
        fclose(f);
        return 0;
    }
    if (strcmp(mode, "write") == 0 && argc > 3) {
        FILE *f = fopen(argv[2], "w");
        if (f == NULL || fputs(argv[3], f) < 0 || fclose(f) != 0) {
            perror(argv[2]);
            return 2;
        }
        printf("wrote %s\n", argv[2]);
        return 0;
    }
    if (strcmp(mode, "list") == 0 && argc > 2) {
        DIR *dir = opendir(argv[2]);
        if (dir == NULL) {
            perror(argv[2]);
            return 2;
        }
        struct dirent *entry;
        while ((entry = readdir(dir)) != NULL) {
            if (entry->d_name[0] != '.') printf("%s\n", entry->d_name);
        }
        closedir(dir);
        return 0;
    }
    if (strcmp(mode, "trap") == 0) {
        printf("about to trap\n");
        fflush(stdout);
        __builtin_trap();
    }
    return usage();
}
