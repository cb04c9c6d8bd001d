;; Not migratable: shared linear memory (threads). Another thread could be running when the engine
;; freezes the workload, so there is no call boundary to checkpoint at.
(module
  (memory (export "memory") 1 1 shared)
  (func (export "em_alloc") (param i32) (result i32) (i32.const 1024))
  (func (export "em_handle") (param i32 i32) (result i64) (i64.const 0)))
