;; A WASI command module: _start writes "started\n" to stdout, then spins forever (or sleeps for an hour when
;; it has an argument), so only a deadline or cancellation can end it.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "started\n")
  (func (export "_start")
    (i32.store (i32.const 0) (i32.const 100))
    (i32.store (i32.const 4) (i32.const 8))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
    (drop (call $args_sizes (i32.const 16) (i32.const 20)))
    (if (i32.gt_u (i32.load (i32.const 16)) (i32.const 1))
      (then
        (i64.store (i32.const 256) (i64.const 1))
        (i32.store8 (i32.const 264) (i32.const 0))
        (i32.store (i32.const 272) (i32.const 1))
        (i64.store (i32.const 280) (i64.const 3600000000000))
        (i64.store (i32.const 288) (i64.const 0))
        (i32.store16 (i32.const 296) (i32.const 0))
        (drop (call $poll (i32.const 256) (i32.const 512) (i32.const 1) (i32.const 600)))))
    (loop $spin (br $spin))))
