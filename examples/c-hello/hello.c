/* A Wafer plugin in C: typed functions served over GraphQL and REST, like an AssemblyScript plugin. */
#include <stdlib.h>
#include <string.h>

#include "wafer.h"

/* The metadata the runtime reads: function i here is entry i of WAFER_FUNCTIONS below. */
WAFER_META({
    "abi": 1,
    "sdk": "c/0.1.0",
    "functions": [
        {"name": "add", "parameters": [{"name": "a", "type": "i32"}, {"name": "b", "type": "i32"}], "result": "i32",
         "doc": "Adds two 32-bit integers."},
        {"name": "greet", "parameters": [{"name": "name", "type": "string"}], "result": "string",
         "doc": "Says hello."},
        {"name": "mean", "parameters": [{"name": "values", "type": "f64[]"}], "result": "f64?",
         "doc": "The mean of some numbers, or null for none."}
    ]
});

static int add(wafer_reader *args, wafer_writer *result) {
    int32_t a, b;
    wafer_read_i32(args, &a);
    wafer_read_i32(args, &b);
    wafer_write_i32(result, a + b);
    return 0;
}

static int greet(wafer_reader *args, wafer_writer *result) {
    char *name;
    size_t length;
    wafer_read_string(args, &name, &length);
    if (length == 0) {
        free(name);
        return wafer_fail(result, "name must not be empty");
    }
    wafer_log(WAFER_INFO, "greeting someone");
    char *text = malloc(length + 9);
    strcpy(text, "Hello, ");
    strcat(text, name);
    strcat(text, "!");
    wafer_write_cstr(result, text);
    free(text);
    free(name);
    return 0;
}

static int mean(wafer_reader *args, wafer_writer *result) {
    double total = 0, value;
    int count = 0;
    wafer_read_array_begin(args);
    while (wafer_read_array_next(args)) {
        wafer_read_f64(args, &value);
        total += value;
        count++;
    }
    if (count == 0) wafer_write_null(result);
    else wafer_write_f64(result, total / count);
    return 0;
}

WAFER_FUNCTIONS(add, greet, mean)
