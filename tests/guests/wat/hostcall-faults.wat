;; Misuses wafer.host_call and wafer.host_response: each function must end the call with a trap naming the import.
;; 0 badOperation: operation pointer outside memory; 1 badRequest: request range outside memory;
;; 2 badResponse: response pointer outside memory; 3 noPending: host_response before any host_call;
;; 4 emptyOperation: a zero-length operation name is a failure value (returned as the guest error), not a trap.
(module
  (import "wafer" "result" (func $result (param i32 i32)))
  (import "wafer" "host_call" (func $host_call (param i32 i32 i32 i32) (result i32)))
  (import "wafer" "host_response" (func $host_response (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "config.get")
  (data (i32.const 32) "{\"key\":\"greeting\"}")
  (func (export "wafer_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "wafer_invoke") (param $fn i32) (param $ptr i32) (param $len i32) (result i32)
    (local $n i32)
    (if (i32.eq (local.get $fn) (i32.const 0))
      (then (drop (call $host_call (i32.const -16) (i32.const 10) (i32.const 32) (i32.const 18)))))
    (if (i32.eq (local.get $fn) (i32.const 1))
      (then (drop (call $host_call (i32.const 16) (i32.const 10) (i32.const 65530) (i32.const 100)))))
    (if (i32.eq (local.get $fn) (i32.const 2))
      (then
        (drop (call $host_call (i32.const 16) (i32.const 10) (i32.const 32) (i32.const 18)))
        (call $host_response (i32.const 65535))))
    (if (i32.eq (local.get $fn) (i32.const 3))
      (then (call $host_response (i32.const 2048))))
    (if (i32.eq (local.get $fn) (i32.const 4))
      (then
        (local.set $n (i32.sub (i32.const 0) (call $host_call (i32.const 16) (i32.const 0) (i32.const 32) (i32.const 18))))
        (call $host_response (i32.const 2048))
        (call $result (i32.const 2048) (local.get $n))
        (return (i32.const 1))))
    (i32.const 0)))
