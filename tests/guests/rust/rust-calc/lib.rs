//! Test guest: typed functions in Rust through sdk/rust/wafer.rs (no crates), served like AssemblyScript.

#[path = "../../../../sdk/rust/wafer.rs"]
mod wafer;

use wafer::{to_json, Value};

wafer_meta!(
    r#"{
  "abi": 1,
  "sdk": "rust/0.1.0",
  "functions": [
    {"name": "add", "parameters": [{"name": "a", "type": "i32"}, {"name": "b", "type": "i32"}], "result": "i32"},
    {"name": "greet", "parameters": [{"name": "name", "type": "string"}], "result": "string"},
    {"name": "sum", "parameters": [{"name": "values", "type": "f64[]"}], "result": "f64"},
    {"name": "words", "parameters": [{"name": "text", "type": "string"}], "result": "string[]"},
    {"name": "multiply", "parameters": [{"name": "a", "type": "i64"}, {"name": "b", "type": "i64"}], "result": "i64"},
    {"name": "divide", "parameters": [{"name": "a", "type": "i32"}, {"name": "b", "type": "i32"}], "result": "i32"},
    {"name": "explode", "parameters": [], "result": "string", "doc": "Panics."}
  ]
}"#
);

fn add(args: &[Value]) -> Result<String, String> {
    Ok(to_json(&args[0].as_i32()?.wrapping_add(args[1].as_i32()?)))
}

fn greet(args: &[Value]) -> Result<String, String> {
    Ok(to_json(&format!("Hello, {}!", args[0].as_str()?)))
}

fn sum(args: &[Value]) -> Result<String, String> {
    let mut total = 0.0;
    for value in args[0].as_array()? {
        total += value.as_f64()?;
    }
    Ok(to_json(&total))
}

fn words(args: &[Value]) -> Result<String, String> {
    Ok(to_json(&args[0].as_str()?.split_whitespace().collect::<Vec<&str>>()))
}

fn multiply(args: &[Value]) -> Result<String, String> {
    let product = args[0].as_i64()?.checked_mul(args[1].as_i64()?).ok_or("multiply: the product overflows i64")?;
    Ok(to_json(&product))
}

fn divide(args: &[Value]) -> Result<String, String> {
    match args[1].as_i32()? {
        0 => Err("division by zero".to_string()),
        b => Ok(to_json(&(args[0].as_i32()? / b))),
    }
}

fn explode(_: &[Value]) -> Result<String, String> {
    panic!("boom")
}

wafer_functions!(add, greet, sum, words, multiply, divide, explode);
