/*
 * wafer.h: the Wafer host ABI (docs/abi.md, version 1) for C guests.
 *
 * A plugin written in C exports typed functions the way an AssemblyScript plugin does: the host calls
 * wafer_invoke(function, args, len) with the arguments as a JSON array, and the plugin answers through
 * wafer.result with the JSON of the result. This header gives you:
 *
 *   - WAFER_META(...): embeds the wafer.meta custom section (the function list and types);
 *   - WAFER_FUNCTIONS(f0, f1, ...): defines the exported wafer_invoke, dispatching by index;
 *   - a small JSON reader (arguments) and writer (results) for numbers, booleans, strings, null, arrays
 *     and objects;
 *   - the host imports (result, log, abort, host_call) and logging helpers.
 *
 * Build (Debian: apt install clang lld wasi-libc):
 *   clang --target=wasm32-wasi -O2 -nostartfiles -Wl,--no-entry -Wl,--strip-debug \
 *         -I sdk/c plugin.c sdk/c/wafer.c -o build/plugin.wasm
 *
 * wafer.c exports wafer_alloc (malloc) and implements everything declared here.
 */
#ifndef WAFER_H
#define WAFER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- metadata: the wafer.meta custom section ------------------------------------------------------------ */

#define WAFER__QUOTE(...) #__VA_ARGS__
#define WAFER__QUOTE_TWICE(...) WAFER__QUOTE(__VA_ARGS__)

/*
 * WAFER_META_STRING("{\"abi\":1,...}") embeds the JSON in a string literal as the module's wafer.meta custom
 * section. (With clang 14, a variable placed in section ".custom_section.NAME" still lands in the data
 * section; an assembler .section directive is what makes a real custom section.)
 */
#define WAFER_META_STRING(json) \
    __asm__(".section .custom_section.wafer.meta,\"\",@\n.ascii " WAFER__QUOTE(json) "\n.text\n")

/*
 * WAFER_META({"abi": 1, "sdk": "c/0.1.0", "functions": [...]}) does the same with the JSON written as plain
 * C tokens (no escaping). The text may not hold an apostrophe or a backslash; use WAFER_META_STRING then.
 */
#define WAFER_META(...) \
    __asm__(".section .custom_section.wafer.meta,\"\",@\n.ascii " WAFER__QUOTE_TWICE(WAFER__QUOTE(__VA_ARGS__)) "\n.text\n")

/* ---- host imports (module "wafer") ---------------------------------------------------------------------- */

#define WAFER_IMPORT(name) __attribute__((import_module("wafer"), import_name(name)))

/* Sets the call's result (JSON) or, when wafer_invoke returns 1, its error message. The host copies it. */
WAFER_IMPORT("result") void wafer_host_result(const void *ptr, size_t len);
/* Logs a UTF-8 line at a level (WAFER_DEBUG .. WAFER_ERROR). */
WAFER_IMPORT("log") void wafer_host_log(int32_t level, const char *ptr, size_t len);
/* Fails the call with a message; never returns. */
WAFER_IMPORT("abort") __attribute__((noreturn)) void wafer_host_abort(const char *ptr, size_t len);
/* Calls a host capability (docs/abi.md 3.1); returns the response length, negative for an error text. */
WAFER_IMPORT("host_call") int32_t wafer_host_call(const char *op, size_t op_len, const char *req, size_t req_len);
/* Copies the pending response of the last wafer_host_call to ptr. */
WAFER_IMPORT("host_response") void wafer_host_response(void *ptr);

enum { WAFER_DEBUG = 0, WAFER_INFO = 1, WAFER_WARNING = 2, WAFER_ERROR = 3 };

/* Logs a NUL-terminated line. */
void wafer_log(int32_t level, const char *message);
/* Fails the call with a NUL-terminated message; never returns. */
__attribute__((noreturn)) void wafer_abort(const char *message);

/* ---- JSON reader: the arguments ------------------------------------------------------------------------- */

/*
 * Reads the argument array. The host has already checked every value against the declared types, so each
 * read of the declared type succeeds; a false return means the input was not what the call expected.
 */
typedef struct wafer_reader {
    const char *p;
    const char *end;
    bool failed;
} wafer_reader;

bool wafer_read_array_begin(wafer_reader *r);                 /* '[' */
bool wafer_read_array_next(wafer_reader *r);                  /* true: another element follows; false: ']' consumed */
bool wafer_read_object_begin(wafer_reader *r);                /* '{' */
/* Reads the next key (a malloc'd NUL-terminated string; free it) or returns false at '}' (consumed). */
bool wafer_read_object_key(wafer_reader *r, char **key, size_t *len);
bool wafer_read_null(wafer_reader *r);                        /* true and consumed when the next value is null */
bool wafer_read_bool(wafer_reader *r, bool *out);
bool wafer_read_i32(wafer_reader *r, int32_t *out);
bool wafer_read_i64(wafer_reader *r, int64_t *out);
bool wafer_read_u32(wafer_reader *r, uint32_t *out);
bool wafer_read_u64(wafer_reader *r, uint64_t *out);
bool wafer_read_f64(wafer_reader *r, double *out);
/* A string, unescaped to UTF-8: malloc'd and NUL-terminated (free it); *len excludes the NUL. */
bool wafer_read_string(wafer_reader *r, char **out, size_t *len);
bool wafer_skip(wafer_reader *r);                             /* skips one value of any kind */

/* ---- JSON writer: the result ---------------------------------------------------------------------------- */

/* Builds the result JSON; commas between array elements and object members are written for you. */
typedef struct wafer_writer {
    char *data;
    size_t len;
    size_t cap;
    bool need_comma;
    bool failed;
} wafer_writer;

void wafer_write_null(wafer_writer *w);
void wafer_write_bool(wafer_writer *w, bool value);
void wafer_write_i32(wafer_writer *w, int32_t value);
void wafer_write_i64(wafer_writer *w, int64_t value);
void wafer_write_u64(wafer_writer *w, uint64_t value);
void wafer_write_f64(wafer_writer *w, double value);          /* NaN and infinities become null */
void wafer_write_string(wafer_writer *w, const char *utf8, size_t len);
void wafer_write_cstr(wafer_writer *w, const char *utf8);
void wafer_write_array_begin(wafer_writer *w);
void wafer_write_array_end(wafer_writer *w);
void wafer_write_object_begin(wafer_writer *w);
void wafer_write_object_end(wafer_writer *w);
void wafer_write_key(wafer_writer *w, const char *name);      /* then write the member's value */

/* Replaces whatever was written with an error message and returns 1: `return wafer_fail(out, "...");` */
int wafer_fail(wafer_writer *w, const char *message);

/* ---- dispatch ------------------------------------------------------------------------------------------- */

/*
 * A function reads its arguments from `args` (positioned inside the argument array: read one value per
 * parameter, in order) and writes its result to `result`. It returns 0 on success, or wafer_fail(...).
 * A void function writes nothing.
 */
typedef int (*wafer_function)(wafer_reader *args, wafer_writer *result);

int32_t wafer_dispatch(const wafer_function *functions, size_t count, int32_t function, char *args, int32_t len);

/*
 * WAFER_FUNCTIONS(add, greet) defines the exported wafer_invoke: function 0 is add, 1 is greet, in the order
 * of "functions" in WAFER_META.
 */
#define WAFER_FUNCTIONS(...)                                                                          \
    static const wafer_function wafer__functions[] = {__VA_ARGS__};                                   \
    __attribute__((export_name("wafer_invoke"))) int32_t wafer_invoke(int32_t f, char *p, int32_t n) { \
        return wafer_dispatch(wafer__functions, sizeof wafer__functions / sizeof wafer__functions[0], \
                              f, p, n);                                                               \
    }

#ifdef __cplusplus
}
#endif

#endif /* WAFER_H */
