/* Test guest: typed functions in C through sdk/c (served over REST and GraphQL like AssemblyScript). */
#include <stdlib.h>
#include <string.h>

#include "wafer.h"

WAFER_META({
    "abi": 1,
    "sdk": "c/0.1.0",
    "functions": [
        {"name": "add", "parameters": [{"name": "a", "type": "i32"}, {"name": "b", "type": "i32"}], "result": "i32",
         "doc": "Adds two numbers."},
        {"name": "greet", "parameters": [{"name": "name", "type": "string"}], "result": "string"},
        {"name": "sum", "parameters": [{"name": "values", "type": "f64[]"}], "result": "f64"},
        {"name": "repeat", "parameters": [{"name": "text", "type": "string"}, {"name": "times", "type": "i32"}],
         "result": "string[]"},
        {"name": "negate", "parameters": [{"name": "value", "type": "i64"}], "result": "i64"},
        {"name": "divide", "parameters": [{"name": "a", "type": "i32"}, {"name": "b", "type": "i32"}], "result": "i32"},
        {"name": "point", "parameters": [{"name": "x", "type": "f64"}, {"name": "y", "type": "f64"}], "result": "Point"},
        {"name": "length", "parameters": [{"name": "p", "type": "Point"}], "result": "f64"}
    ],
    "types": [
        {"name": "Point", "fields": [{"name": "x", "type": "f64"}, {"name": "y", "type": "f64"}]}
    ]
});

static int add(wafer_reader *args, wafer_writer *out) {
    int32_t a, b;
    wafer_read_i32(args, &a);
    wafer_read_i32(args, &b);
    wafer_write_i32(out, (int32_t)((uint32_t)a + (uint32_t)b));
    return 0;
}

static int greet(wafer_reader *args, wafer_writer *out) {
    char *name;
    size_t len;
    if (!wafer_read_string(args, &name, &len)) return wafer_fail(out, "name must be a string");
    char *text = malloc(len + 16);
    memcpy(text, "Hello, ", 7);
    memcpy(text + 7, name, len);
    memcpy(text + 7 + len, "!", 2);
    wafer_write_cstr(out, text);
    free(text);
    free(name);
    return 0;
}

static int sum(wafer_reader *args, wafer_writer *out) {
    double total = 0, value;
    wafer_read_array_begin(args);
    while (wafer_read_array_next(args)) {
        wafer_read_f64(args, &value);
        total += value;
    }
    wafer_write_f64(out, total);
    return 0;
}

static int repeat(wafer_reader *args, wafer_writer *out) {
    char *text;
    size_t len;
    int32_t times;
    wafer_read_string(args, &text, &len);
    wafer_read_i32(args, &times);
    wafer_write_array_begin(out);
    for (int32_t i = 0; i < times; i++) wafer_write_string(out, text, len);
    wafer_write_array_end(out);
    free(text);
    return 0;
}

static int negate(wafer_reader *args, wafer_writer *out) {
    int64_t value;
    wafer_read_i64(args, &value);
    wafer_write_i64(out, value == INT64_MIN ? INT64_MAX : -value);
    return 0;
}

static int divide(wafer_reader *args, wafer_writer *out) {
    int32_t a, b;
    wafer_read_i32(args, &a);
    wafer_read_i32(args, &b);
    if (b == 0) return wafer_fail(out, "division by zero");
    wafer_write_i32(out, a / b);
    return 0;
}

static int point(wafer_reader *args, wafer_writer *out) {
    double x, y;
    wafer_read_f64(args, &x);
    wafer_read_f64(args, &y);
    wafer_write_object_begin(out);
    wafer_write_key(out, "x");
    wafer_write_f64(out, x);
    wafer_write_key(out, "y");
    wafer_write_f64(out, y);
    wafer_write_object_end(out);
    return 0;
}

static int length(wafer_reader *args, wafer_writer *out) {
    double x = 0, y = 0;
    char *key;
    wafer_read_object_begin(args);
    while (wafer_read_object_key(args, &key, NULL)) {
        if (strcmp(key, "x") == 0) wafer_read_f64(args, &x);
        else if (strcmp(key, "y") == 0) wafer_read_f64(args, &y);
        else wafer_skip(args);
        free(key);
    }
    double squared = x * x + y * y, root = squared / 2 + 0.5;
    for (int i = 0; i < 60 && root > 0; i++) root = (root + squared / root) / 2;
    wafer_write_f64(out, squared == 0 ? 0 : root);
    return 0;
}

WAFER_FUNCTIONS(add, greet, sum, repeat, negate, divide, point, length)
