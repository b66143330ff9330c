/*
 * An HTTP handler in C following WAGI (CGI for WebAssembly): the request arrives as environment variables and
 * the body on stdin; the response is headers, an empty line and the body on stdout.
 *
 *   GET  /hello?name=Ada      -> text greeting
 *   POST /hello               -> echoes the body's size and type as JSON, 201 Created
 *   GET  /hello/anything/else -> 404 from the handler itself
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *env(const char *name, const char *fallback) {
    const char *value = getenv(name);
    return value && *value ? value : fallback;
}

/* The value of `key` in a query string like "a=1&name=Ada" (not URL-decoded: keep the example short). */
static void query_value(const char *query, const char *key, char *out, size_t size) {
    size_t key_length = strlen(key);
    out[0] = '\0';
    for (const char *p = query; p && *p; p = strchr(p, '&') ? strchr(p, '&') + 1 : NULL) {
        if (strncmp(p, key, key_length) == 0 && p[key_length] == '=') {
            const char *value = p + key_length + 1;
            size_t n = strcspn(value, "&");
            if (n >= size) n = size - 1;
            memcpy(out, value, n);
            out[n] = '\0';
            return;
        }
    }
}

int main(void) {
    const char *method = env("REQUEST_METHOD", "GET");
    const char *rest = env("PATH_INFO", "");

    if (*rest != '\0') {
        printf("Status: 404 Not Found\nContent-Type: text/plain\n\nnothing at %s%s\n", env("SCRIPT_NAME", ""), rest);
        return 0;
    }

    if (strcmp(method, "POST") == 0) {
        long size = 0;
        while (getchar() != EOF) size++;
        printf("Status: 201 Created\nContent-Type: application/json\nX-Handled-By: wagi-hello\n\n");
        printf("{\"received\": %ld, \"type\": \"%s\"}\n", size, env("CONTENT_TYPE", "none"));
        return 0;
    }

    char name[64];
    query_value(env("QUERY_STRING", ""), "name", name, sizeof name);
    fprintf(stderr, "greeting %s\n", *name ? name : "the world");
    printf("Content-Type: text/plain; charset=utf-8\n\n");
    printf("Hello, %s! (from %s, served by %s)\n", *name ? name : "world", env("X_MATCHED_ROUTE", "?"),
           env("SERVER_SOFTWARE", "?"));
    return 0;
}
