;; wafer_invoke has the wrong signature: (i32) -> i32.
(module
  (memory (export "memory") 1)
  (func (export "wafer_alloc") (param $size i32) (result i32) (i32.const 1024))
  (func (export "wafer_invoke") (param $fn i32) (result i32) (i32.const 0)))
