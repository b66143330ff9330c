//! wafer.rs: the Wafer host ABI (docs/abi.md, version 1) for Rust guests, in one file with no crates.
//!
//! Include it in a `cdylib` crate with `#[path = "…/sdk/rust/wafer.rs"] mod wafer;` (or copy it next to your
//! lib.rs), then:
//!
//! ```ignore
//! wafer_meta!(r#"{"abi": 1, "sdk": "rust/0.1.0", "functions": [
//!   {"name": "add", "parameters": [{"name": "a", "type": "i32"}, {"name": "b", "type": "i32"}], "result": "i32"}]}"#);
//!
//! fn add(args: &[Value]) -> Result<String, String> {
//!     Ok(to_json(&(args[0].as_i32()? + args[1].as_i32()?)))
//! }
//!
//! wafer_functions!(add);
//! ```
//!
//! Build (Debian: apt install rustc libstd-rust-dev-wasm32):
//! `/usr/bin/rustc --edition 2021 --target wasm32-wasi --crate-type cdylib -O -C strip=debuginfo lib.rs -o plugin.wasm`

#![allow(dead_code)]

use std::alloc::{alloc, dealloc, Layout};

/// The host imports of module `wafer`.
pub mod host {
    #[link(wasm_import_module = "wafer")]
    extern "C" {
        #[link_name = "result"]
        pub fn result(ptr: *const u8, len: usize);
        #[link_name = "log"]
        pub fn log(level: i32, ptr: *const u8, len: usize);
        #[link_name = "abort"]
        pub fn abort(ptr: *const u8, len: usize) -> !;
    }
}

pub const DEBUG: i32 = 0;
pub const INFO: i32 = 1;
pub const WARNING: i32 = 2;
pub const ERROR: i32 = 3;

/// Logs a line at a level (`DEBUG` .. `ERROR`).
pub fn log(level: i32, message: &str) {
    unsafe { host::log(level, message.as_ptr(), message.len()) }
}

/// Fails the call with a message; never returns.
pub fn abort(message: &str) -> ! {
    unsafe { host::abort(message.as_ptr(), message.len()) }
}

/// Embeds the `wafer.meta` custom section: `wafer_meta!(r#"{"abi": 1, …}"#);`
#[macro_export]
macro_rules! wafer_meta {
    ($json:literal) => {
        #[link_section = "wafer.meta"]
        #[used]
        static WAFER_META: [u8; $json.len()] = crate::wafer::bytes($json.as_bytes());
    };
}

/// Defines the exported `wafer_invoke`: `wafer_functions!(add, greet);` makes `add` function 0, `greet` 1, in the
/// order of `functions` in the metadata. Each function takes the arguments and returns the result as JSON text
/// (see `to_json`) or an error message.
#[macro_export]
macro_rules! wafer_functions {
    ($($function:ident),* $(,)?) => {
        #[no_mangle]
        pub extern "C" fn wafer_invoke(function: i32, ptr: *mut u8, len: i32) -> i32 {
            crate::wafer::dispatch(&[$($function),*], function, ptr, len)
        }
    };
}

/// A function: the positional arguments in, the result as JSON text (or an error message) out.
pub type Function = fn(&[Value]) -> Result<String, String>;

/// Copies a byte string into an array at compile time (used by `wafer_meta!`).
pub const fn bytes<const N: usize>(text: &[u8]) -> [u8; N] {
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = text[i];
        i += 1;
    }
    out
}

#[no_mangle]
pub extern "C" fn wafer_alloc(size: i32) -> *mut u8 {
    unsafe { alloc(Layout::from_size_align(size.max(1) as usize, 1).unwrap()) }
}

pub fn dispatch(functions: &[Function], index: i32, ptr: *mut u8, len: i32) -> i32 {
    let len = len.max(0) as usize;
    let outcome = {
        let input = unsafe { std::slice::from_raw_parts(ptr, len) };
        match (functions.get(index as usize), parse(input)) {
            (None, _) => Err(format!("unknown function index {}", index)),
            (_, Err(e)) => Err(format!("the arguments are not valid JSON: {}", e)),
            (Some(function), Ok(Value::Array(args))) => function(&args),
            (Some(_), Ok(_)) => Err("the arguments are not a JSON array".to_string()),
        }
    };
    unsafe { dealloc(ptr, Layout::from_size_align(len.max(1), 1).unwrap()) };
    let (code, text) = match outcome {
        Ok(json) => (0, json),
        Err(message) => (1, message),
    };
    unsafe { host::result(text.as_ptr(), text.len()) };
    code
}

// ---- JSON values: the arguments ---------------------------------------------------------------------------

/// A JSON value. Numbers keep their text so 64-bit integers read back exactly.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<Value>),
    Object(Vec<(String, Value)>),
}

impl Value {
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn as_bool(&self) -> Result<bool, String> {
        match self {
            Value::Bool(b) => Ok(*b),
            _ => Err("expected a boolean".to_string()),
        }
    }

    pub fn as_i64(&self) -> Result<i64, String> {
        match self {
            Value::Number(text) => text.parse().map_err(|_| format!("expected an integer, got {}", text)),
            _ => Err("expected a number".to_string()),
        }
    }

    pub fn as_i32(&self) -> Result<i32, String> {
        i32::try_from(self.as_i64()?).map_err(|_| "integer out of range for i32".to_string())
    }

    pub fn as_u64(&self) -> Result<u64, String> {
        match self {
            Value::Number(text) => text.parse().map_err(|_| format!("expected an unsigned integer, got {}", text)),
            _ => Err("expected a number".to_string()),
        }
    }

    pub fn as_f64(&self) -> Result<f64, String> {
        match self {
            Value::Number(text) => text.parse().map_err(|_| format!("expected a number, got {}", text)),
            _ => Err("expected a number".to_string()),
        }
    }

    pub fn as_str(&self) -> Result<&str, String> {
        match self {
            Value::String(s) => Ok(s),
            _ => Err("expected a string".to_string()),
        }
    }

    pub fn as_array(&self) -> Result<&[Value], String> {
        match self {
            Value::Array(items) => Ok(items),
            _ => Err("expected an array".to_string()),
        }
    }

    /// A member of an object.
    pub fn get(&self, key: &str) -> Result<&Value, String> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v).ok_or(format!("missing field {}", key)),
            _ => Err("expected an object".to_string()),
        }
    }
}

/// Parses one JSON value (the whole input).
pub fn parse(input: &[u8]) -> Result<Value, String> {
    let mut parser = Parser { input, at: 0 };
    let value = parser.value()?;
    parser.space();
    if parser.at != input.len() {
        return Err(format!("unexpected data at byte {}", parser.at));
    }
    Ok(value)
}

struct Parser<'a> {
    input: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn space(&mut self) {
        while self.at < self.input.len() && matches!(self.input[self.at], b' ' | b'\t' | b'\n' | b'\r') {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.space();
        self.input.get(self.at).copied()
    }

    fn eat(&mut self, c: u8) -> Result<(), String> {
        if self.peek() == Some(c) {
            self.at += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", c as char, self.at))
        }
    }

    fn word(&mut self, word: &str, value: Value) -> Result<Value, String> {
        if self.input[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(format!("unexpected character at byte {}", self.at))
        }
    }

    fn value(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some(b'n') => self.word("null", Value::Null),
            Some(b't') => self.word("true", Value::Bool(true)),
            Some(b'f') => self.word("false", Value::Bool(false)),
            Some(b'"') => Ok(Value::String(self.string()?)),
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                if self.peek() == Some(b']') {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    if self.peek() == Some(b',') {
                        self.at += 1;
                    } else {
                        self.eat(b']')?;
                        return Ok(Value::Array(items));
                    }
                }
            }
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                if self.peek() == Some(b'}') {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                loop {
                    self.space();
                    let key = self.string()?;
                    self.eat(b':')?;
                    members.push((key, self.value()?));
                    if self.peek() == Some(b',') {
                        self.at += 1;
                    } else {
                        self.eat(b'}')?;
                        return Ok(Value::Object(members));
                    }
                }
            }
            Some(c) if c == b'-' || c.is_ascii_digit() => {
                let start = self.at;
                while self.at < self.input.len() && matches!(self.input[self.at], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                    self.at += 1;
                }
                Ok(Value::Number(String::from_utf8_lossy(&self.input[start..self.at]).into_owned()))
            }
            _ => Err(format!("unexpected end or character at byte {}", self.at)),
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self.input.get(self.at..self.at + 4).ok_or("truncated \\u escape")?;
        self.at += 4;
        u32::from_str_radix(std::str::from_utf8(digits).map_err(|_| "bad \\u escape")?, 16).map_err(|_| "bad \\u escape".to_string())
    }

    fn string(&mut self) -> Result<String, String> {
        self.eat(b'"')?;
        let mut out = Vec::new();
        loop {
            let c = *self.input.get(self.at).ok_or("unterminated string")?;
            self.at += 1;
            match c {
                b'"' => return String::from_utf8(out).map_err(|_| "string is not UTF-8".to_string()),
                b'\\' => {
                    let e = *self.input.get(self.at).ok_or("unterminated string")?;
                    self.at += 1;
                    let simple = match e {
                        b'"' => Some('"'),
                        b'\\' => Some('\\'),
                        b'/' => Some('/'),
                        b'b' => Some('\u{8}'),
                        b'f' => Some('\u{c}'),
                        b'n' => Some('\n'),
                        b'r' => Some('\r'),
                        b't' => Some('\t'),
                        b'u' => None,
                        _ => return Err(format!("bad escape at byte {}", self.at)),
                    };
                    let ch = match simple {
                        Some(ch) => ch,
                        None => {
                            let mut code = self.hex4()?;
                            if (0xD800..0xDC00).contains(&code) && self.input[self.at..].starts_with(b"\\u") {
                                self.at += 2;
                                let low = self.hex4()?;
                                code = 0x10000 + ((code - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
                            }
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        }
                    };
                    let mut buffer = [0u8; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buffer).as_bytes());
                }
                _ => out.push(c),
            }
        }
    }
}

// ---- JSON text: the result -------------------------------------------------------------------------------

/// A value that can be written as JSON: numbers, booleans, strings, `Option` (null), `Vec` and slices.
pub trait ToJson {
    fn write_json(&self, out: &mut String);
}

/// The JSON text of a value: `Ok(to_json(&42))`.
pub fn to_json<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = String::new();
    value.write_json(&mut out);
    out
}

macro_rules! integer_to_json {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut String) {
                out.push_str(&self.to_string());
            }
        }
    )*};
}

integer_to_json!(i8, i16, i32, i64, u8, u16, u32, u64);

impl ToJson for f64 {
    fn write_json(&self, out: &mut String) {
        if self.is_finite() {
            out.push_str(&format!("{:?}", self)); // shortest text that reads back exactly
        } else {
            out.push_str("null");
        }
    }
}

impl ToJson for f32 {
    fn write_json(&self, out: &mut String) {
        (*self as f64).write_json(out)
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut String) {
        out.push_str(if *self { "true" } else { "false" });
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut String) {
        out.push('"');
        for c in self.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut String) {
        self.as_str().write_json(out)
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut String) {
        (**self).write_json(out)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut String) {
        match self {
            Some(value) => value.write_json(out),
            None => out.push_str("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut String) {
        out.push('[');
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            item.write_json(out);
        }
        out.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut String) {
        self.as_slice().write_json(out)
    }
}
