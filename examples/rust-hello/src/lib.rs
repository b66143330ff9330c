//! A Wafer plugin in Rust with no crates: typed functions served over GraphQL and REST.

#[path = "../../../sdk/rust/wafer.rs"]
mod wafer;

use wafer::{to_json, Value};

// Function i here is entry i of wafer_functions! below.
wafer_meta!(
    r#"{
  "abi": 1,
  "sdk": "rust/0.1.0",
  "functions": [
    {"name": "fibonacci", "parameters": [{"name": "n", "type": "u32"}], "result": "u64", "doc": "The n-th Fibonacci number."},
    {"name": "reverse", "parameters": [{"name": "text", "type": "string"}], "result": "string", "doc": "The text backwards."},
    {"name": "words", "parameters": [{"name": "text", "type": "string"}], "result": "string[]", "doc": "The words of a text."}
  ]
}"#
);

fn fibonacci(args: &[Value]) -> Result<String, String> {
    let n = args[0].as_u64()?;
    if n > 93 {
        return Err(format!("fibonacci({}) does not fit in a u64", n));
    }
    let (mut a, mut b) = (0u64, 1u64);
    for _ in 0..n {
        (a, b) = (b, a + b);
    }
    Ok(to_json(&a))
}

fn reverse(args: &[Value]) -> Result<String, String> {
    wafer::log(wafer::INFO, "reversing");
    Ok(to_json(&args[0].as_str()?.chars().rev().collect::<String>()))
}

fn words(args: &[Value]) -> Result<String, String> {
    Ok(to_json(&args[0].as_str()?.split_whitespace().collect::<Vec<&str>>()))
}

wafer_functions!(fibonacci, reverse, words);
