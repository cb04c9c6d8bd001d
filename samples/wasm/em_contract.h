/* EdgeMigrate WebAssembly workload contract, version 1 (docs/wasm-workloads.md).
 * A workload is a WASI reactor that exports these functions; the agent calls them one at a time
 * and may checkpoint the module between any two calls. */
#ifndef EM_CONTRACT_H
#define EM_CONTRACT_H
#include <stdint.h>

#define EM_EXPORT(name) __attribute__((export_name(name)))

/* Buffer of at least len bytes the host writes the next request (or config) into. */
EM_EXPORT("em_alloc") uint8_t *em_alloc(int32_t len);
/* One-time configuration on a fresh start (never called on a restore). Returns 0 on success. */
EM_EXPORT("em_init") int32_t em_init(const uint8_t *config, int32_t len);
/* Handles one request; returns (ptr << 32) | len of the response, valid until the next call. */
EM_EXPORT("em_handle") int64_t em_handle(const uint8_t *request, int32_t len);

static inline int64_t em_response(const void *ptr, int32_t len) {
  return ((int64_t)(uint32_t)(uintptr_t)ptr << 32) | (uint32_t)len;
}
#endif
