;; Not migratable: imports a host function outside the allowed WASI set, whose state (if any) lives
;; on the source host and cannot move.
(module
  (import "env" "gpu_submit" (func $gpu_submit (param i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "em_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "em_handle") (param i32 i32) (result i64)
    (drop (call $gpu_submit (local.get 0)))
    (i64.const 0)))
