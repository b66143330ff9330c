/* Test guest: a WAGI (CGI) HTTP handler. The path below the route picks the behaviour. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char **environ;

static const char *env(const char *name) {
    const char *value = getenv(name);
    return value ? value : "(unset)";
}

int main(int argc, char **argv) {
    const char *path = env("X_RELATIVE_PATH");
    if (strcmp(env("X_MATCHED_ROUTE"), "/exact") == 0) {
        printf("Content-Type: text/plain\n\nexact route, %s\n", env("REQUEST_METHOD"));
    } else if (strcmp(path, "hello") == 0) {
        printf("Content-Type: text/plain\n\nHello, WAGI!\n");
    } else if (strcmp(path, "status") == 0) {
        printf("Status: 201 Created\r\nContent-Type: application/json\r\nX-Custom: yes\r\n\r\n{\"created\":true}");
    } else if (strcmp(path, "redirect") == 0) {
        printf("Location: /elsewhere\n\n");
    } else if (strcmp(path, "env") == 0) {
        printf("Content-Type: text/plain\n\n");
        const char *names[] = {"REQUEST_METHOD", "PATH_INFO", "X_RAW_PATH_INFO", "QUERY_STRING", "CONTENT_TYPE",
                               "CONTENT_LENGTH", "HTTP_X_TEST", "HTTP_AUTHORIZATION", "SCRIPT_NAME", "X_MATCHED_ROUTE",
                               "SERVER_NAME", "SERVER_PORT", "SERVER_PROTOCOL", "GATEWAY_INTERFACE", "X_FULL_URL",
                               "HTTP_HOST", "REMOTE_ADDR", "HOME", "PATH"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) printf("%s=%s\n", names[i], env(names[i]));
        for (int i = 0; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    } else if (strcmp(path, "environ") == 0) {
        printf("Content-Type: text/plain\n\n");
        for (char **e = environ; *e; e++) printf("%s\n", *e);
    } else if (strcmp(path, "upgrade") == 0) {
        printf("Status: 101 Switching Protocols\nUpgrade: websocket\nContent-Type: text/plain\n\nnot a websocket");
    } else if (strcmp(path, "nocontent") == 0) {
        printf("Status: 204 No Content\nContent-Type: text/plain\n\na body a 204 cannot carry");
    } else if (strcmp(path, "nocontent-empty") == 0) {
        printf("Status: 204 No Content\nX-Done: yes\n\n");
    } else if (strcmp(path, "owned") == 0) {
        printf("Content-Type: text/plain\nX-Wafer-Runtime: forged-runtime\nX-Wafer-Call-Id: forged-call\nServer: forged-server\nX-Own: kept\n\nowned\n");
    } else if (strcmp(path, "echo") == 0) {
        printf("Content-Type: %s\n\n", env("CONTENT_TYPE"));
        char buffer[4096];
        size_t n;
        while ((n = fread(buffer, 1, sizeof buffer, stdin)) > 0) fwrite(buffer, 1, n, stdout);
    } else if (strcmp(path, "bad") == 0) {
        printf("this is not a header\n");
    } else if (strcmp(path, "noblank") == 0) {
        printf("Content-Type: text/plain\n");
    } else if (strcmp(path, "nostatus") == 0) {
        printf("X-Only: this\n\nbody");
    } else if (strcmp(path, "nothing") == 0) {
        return 0;
    } else if (strcmp(path, "loop") == 0) {
        for (volatile unsigned long i = 0;; i++) {
        }
    } else if (strcmp(path, "trap") == 0) {
        __builtin_trap();
    } else if (strcmp(path, "stderr") == 0) {
        fprintf(stderr, "handler warning one\nhandler warning two\n");
        printf("Content-Type: text/plain\n\nlogged\n");
    } else {
        printf("Status: 404 Not Found\nContent-Type: text/plain\n\nno page %s\n", path);
    }
    return 0;
}
