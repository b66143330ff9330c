/* wafer.c: the implementation of wafer.h (docs/abi.md, version 1). Compile it with your plugin. */
#include "wafer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- exports and host helpers --------------------------------------------------------------------------- */

__attribute__((export_name("wafer_alloc"))) void *wafer_alloc(int32_t size) {
    return malloc(size > 0 ? (size_t)size : 1);
}

void wafer_log(int32_t level, const char *message) { wafer_host_log(level, message, strlen(message)); }

void wafer_abort(const char *message) { wafer_host_abort(message, strlen(message)); }

/* ---- reader --------------------------------------------------------------------------------------------- */

static void skip_space(wafer_reader *r) {
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) r->p++;
}

/* Skips the comma that separates this value from the previous one, then white space. */
static void skip_separator(wafer_reader *r) {
    skip_space(r);
    if (r->p < r->end && (*r->p == ',' || *r->p == ':')) r->p++;
    skip_space(r);
}

static bool fail(wafer_reader *r) {
    r->failed = true;
    return false;
}

static bool expect(wafer_reader *r, char c) {
    skip_separator(r);
    if (r->p >= r->end || *r->p != c) return fail(r);
    r->p++;
    return true;
}

bool wafer_read_array_begin(wafer_reader *r) { return expect(r, '['); }
bool wafer_read_object_begin(wafer_reader *r) { return expect(r, '{'); }

bool wafer_read_array_next(wafer_reader *r) {
    skip_separator(r);
    if (r->p >= r->end) return fail(r);
    if (*r->p == ']') {
        r->p++;
        return false;
    }
    return true;
}

bool wafer_read_object_key(wafer_reader *r, char **key, size_t *len) {
    skip_separator(r);
    if (r->p >= r->end) return fail(r);
    if (*r->p == '}') {
        r->p++;
        return false;
    }
    return wafer_read_string(r, key, len);
}

static bool literal(wafer_reader *r, const char *word) {
    size_t n = strlen(word);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0) return false;
    r->p += n;
    return true;
}

bool wafer_read_null(wafer_reader *r) {
    skip_separator(r);
    return literal(r, "null");
}

bool wafer_read_bool(wafer_reader *r, bool *out) {
    skip_separator(r);
    if (literal(r, "true")) return *out = true, true;
    if (literal(r, "false")) return *out = false, true;
    return fail(r);
}

/* An integer: optional '-', digits; a fraction or exponent of zero (1.0, 1e0) is not written by the host. */
static bool read_integer(wafer_reader *r, bool *negative, uint64_t *magnitude) {
    skip_separator(r);
    *negative = r->p < r->end && *r->p == '-';
    if (*negative) r->p++;
    if (r->p >= r->end || *r->p < '0' || *r->p > '9') return fail(r);
    uint64_t value = 0;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        unsigned digit = (unsigned)(*r->p++ - '0');
        if (value > (UINT64_MAX - digit) / 10) return fail(r);
        value = value * 10 + digit;
    }
    *magnitude = value;
    return true;
}

bool wafer_read_i64(wafer_reader *r, int64_t *out) {
    bool negative;
    uint64_t m;
    if (!read_integer(r, &negative, &m)) return false;
    if (negative ? m > (uint64_t)INT64_MAX + 1 : m > (uint64_t)INT64_MAX) return fail(r);
    *out = negative ? (int64_t)(0 - m) : (int64_t)m;
    return true;
}

bool wafer_read_i32(wafer_reader *r, int32_t *out) {
    int64_t v;
    if (!wafer_read_i64(r, &v) || v < INT32_MIN || v > INT32_MAX) return fail(r);
    *out = (int32_t)v;
    return true;
}

bool wafer_read_u64(wafer_reader *r, uint64_t *out) {
    bool negative;
    if (!read_integer(r, &negative, out) || (negative && *out != 0)) return fail(r);
    return true;
}

bool wafer_read_u32(wafer_reader *r, uint32_t *out) {
    uint64_t v;
    if (!wafer_read_u64(r, &v) || v > UINT32_MAX) return fail(r);
    *out = (uint32_t)v;
    return true;
}

bool wafer_read_f64(wafer_reader *r, double *out) {
    skip_separator(r);
    const char *start = r->p;
    while (r->p < r->end && strchr("+-0123456789.eE", *r->p) != NULL && *r->p != '\0') r->p++;
    size_t n = (size_t)(r->p - start);
    char buffer[64];
    if (n == 0 || n >= sizeof buffer) return fail(r);
    memcpy(buffer, start, n);
    buffer[n] = '\0';
    char *stop;
    *out = strtod(buffer, &stop);
    return *stop == '\0' ? true : fail(r);
}

static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static bool read_hex4(wafer_reader *r, uint32_t *out) {
    if (r->end - r->p < 4) return false;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hex(r->p[i]);
        if (h < 0) return false;
        v = v * 16 + (uint32_t)h;
    }
    r->p += 4;
    *out = v;
    return true;
}

static size_t put_utf8(char *out, uint32_t cp) {
    if (cp < 0x80) return out[0] = (char)cp, 1;
    if (cp < 0x800) return out[0] = (char)(0xC0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3F)), 2;
    if (cp < 0x10000)
        return out[0] = (char)(0xE0 | cp >> 12), out[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
               out[2] = (char)(0x80 | (cp & 0x3F)), 3;
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

bool wafer_read_string(wafer_reader *r, char **out, size_t *len) {
    skip_separator(r);
    if (r->p >= r->end || *r->p != '"') return fail(r);
    r->p++;
    /* The unescaped text is never longer than the escaped text. */
    const char *close = r->p;
    while (close < r->end && *close != '"') close += (*close == '\\') ? 2 : 1;
    if (close >= r->end) return fail(r);
    char *text = malloc((size_t)(close - r->p) + 1);
    if (text == NULL) return fail(r);
    size_t n = 0;
    while (r->p < close) {
        char c = *r->p++;
        if (c != '\\') {
            text[n++] = c;
            continue;
        }
        char e = *r->p++;
        switch (e) {
        case '"': text[n++] = '"'; break;
        case '\\': text[n++] = '\\'; break;
        case '/': text[n++] = '/'; break;
        case 'b': text[n++] = '\b'; break;
        case 'f': text[n++] = '\f'; break;
        case 'n': text[n++] = '\n'; break;
        case 'r': text[n++] = '\r'; break;
        case 't': text[n++] = '\t'; break;
        case 'u': {
            uint32_t cp, low;
            if (!read_hex4(r, &cp)) goto bad;
            if (cp >= 0xD800 && cp < 0xDC00 && r->end - r->p >= 6 && r->p[0] == '\\' && r->p[1] == 'u') {
                r->p += 2;
                if (!read_hex4(r, &low) || low < 0xDC00 || low > 0xDFFF) goto bad;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            }
            n += put_utf8(text + n, cp);
            break;
        }
        default:
            goto bad;
        }
    }
    r->p = close + 1;
    text[n] = '\0';
    *out = text;
    if (len) *len = n;
    return true;
bad:
    free(text);
    return fail(r);
}

bool wafer_skip(wafer_reader *r) {
    skip_separator(r);
    if (r->p >= r->end) return fail(r);
    char c = *r->p;
    if (c == '"') {
        char *s;
        if (!wafer_read_string(r, &s, NULL)) return false;
        free(s);
        return true;
    }
    if (c == '[' || c == '{') {
        r->p++;
        char close = c == '[' ? ']' : '}';
        for (;;) {
            skip_separator(r);
            if (r->p >= r->end) return fail(r);
            if (*r->p == close) return r->p++, true;
            if (!wafer_skip(r)) return false; /* a key is a string value, skipped the same way */
        }
    }
    if (literal(r, "null") || literal(r, "true") || literal(r, "false")) return true;
    double ignored;
    return wafer_read_f64(r, &ignored);
}

/* ---- writer --------------------------------------------------------------------------------------------- */

static void reserve(wafer_writer *w, size_t more) {
    if (w->failed || w->len + more <= w->cap) return;
    size_t cap = w->cap ? w->cap : 64;
    while (cap < w->len + more) cap *= 2;
    char *data = realloc(w->data, cap);
    if (data == NULL) {
        w->failed = true;
        return;
    }
    w->data = data;
    w->cap = cap;
}

static void put(wafer_writer *w, const char *bytes, size_t n) {
    reserve(w, n);
    if (w->failed) return;
    memcpy(w->data + w->len, bytes, n);
    w->len += n;
}

static void begin_value(wafer_writer *w) {
    if (w->need_comma) put(w, ",", 1);
    w->need_comma = true;
}

void wafer_write_null(wafer_writer *w) {
    begin_value(w);
    put(w, "null", 4);
}

void wafer_write_bool(wafer_writer *w, bool value) {
    begin_value(w);
    if (value) put(w, "true", 4);
    else put(w, "false", 5);
}

void wafer_write_u64(wafer_writer *w, uint64_t value) {
    char digits[24];
    size_t n = sizeof digits;
    do digits[--n] = (char)('0' + value % 10); while ((value /= 10) != 0);
    begin_value(w);
    put(w, digits + n, sizeof digits - n);
}

void wafer_write_i64(wafer_writer *w, int64_t value) {
    if (value >= 0) {
        wafer_write_u64(w, (uint64_t)value);
        return;
    }
    uint64_t magnitude = 0 - (uint64_t)value;
    char digits[24];
    size_t n = sizeof digits;
    do digits[--n] = (char)('0' + magnitude % 10); while ((magnitude /= 10) != 0);
    digits[--n] = '-';
    begin_value(w);
    put(w, digits + n, sizeof digits - n);
}

void wafer_write_i32(wafer_writer *w, int32_t value) { wafer_write_i64(w, value); }

void wafer_write_f64(wafer_writer *w, double value) {
    if (isnan(value) || isinf(value)) {
        wafer_write_null(w);
        return;
    }
    char text[40];
    /* The shortest of 15 or 17 significant digits that reads back as the same double. */
    int n = snprintf(text, sizeof text, "%.15g", value);
    if (strtod(text, NULL) != value) n = snprintf(text, sizeof text, "%.17g", value);
    begin_value(w);
    put(w, text, (size_t)n);
}

void wafer_write_string(wafer_writer *w, const char *utf8, size_t len) {
    static const char digits[] = "0123456789abcdef";
    begin_value(w);
    put(w, "\"", 1);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)utf8[i];
        const char *shorthand = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\r' ? "\\r"
                              : c == '\t' ? "\\t" : c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;
        if (shorthand != NULL) {
            put(w, shorthand, 2);
        } else if (c < 0x20) {
            char escaped[6] = {'\\', 'u', '0', '0', digits[c >> 4], digits[c & 15]};
            put(w, escaped, 6);
        } else {
            put(w, (const char *)&utf8[i], 1);
        }
    }
    put(w, "\"", 1);
}

void wafer_write_cstr(wafer_writer *w, const char *utf8) { wafer_write_string(w, utf8, strlen(utf8)); }

void wafer_write_array_begin(wafer_writer *w) {
    begin_value(w);
    put(w, "[", 1);
    w->need_comma = false;
}

void wafer_write_array_end(wafer_writer *w) {
    put(w, "]", 1);
    w->need_comma = true;
}

void wafer_write_object_begin(wafer_writer *w) {
    begin_value(w);
    put(w, "{", 1);
    w->need_comma = false;
}

void wafer_write_object_end(wafer_writer *w) {
    put(w, "}", 1);
    w->need_comma = true;
}

void wafer_write_key(wafer_writer *w, const char *name) {
    wafer_write_cstr(w, name);
    put(w, ":", 1);
    w->need_comma = false;
}

int wafer_fail(wafer_writer *w, const char *message) {
    w->len = 0;
    w->need_comma = false;
    put(w, message, strlen(message));
    return 1;
}

/* ---- dispatch ------------------------------------------------------------------------------------------- */

int32_t wafer_dispatch(const wafer_function *functions, size_t count, int32_t function, char *args, int32_t len) {
    wafer_reader reader = {args, args + (len > 0 ? len : 0), false};
    wafer_writer writer = {0};
    int code;
    if (function < 0 || (size_t)function >= count) {
        code = wafer_fail(&writer, "unknown function index");
    } else if (!wafer_read_array_begin(&reader)) {
        code = wafer_fail(&writer, "the arguments are not a JSON array");
    } else {
        code = functions[function](&reader, &writer);
        if (code == 0 && reader.failed) code = wafer_fail(&writer, "the arguments do not match the function's parameters");
    }
    if (writer.failed) {
        free(writer.data);
        free(args);
        wafer_abort("out of memory while writing the result");
    }
    if (code != 0 || writer.len > 0) wafer_host_result(writer.data, writer.len);
    free(writer.data);
    free(args);
    return code == 0 ? 0 : 1;
}
