/* The memhog sample (samples/wasm/memhog/memhog.c, unchanged) with its em_init config compiled in: the agent's
 * --run-wasm cannot pass em_init config yet (docs/edge-agent.md), so the benchmark builds one module per
 * memory size and dirty rate with -DMEMHOG_CONFIG='"mib=128 dirty=4"'. A config given at start still wins. */
#include "em_contract.h"
#define em_init memhog_em_init
#include "memhog/memhog.c"
#undef em_init

int32_t em_init(const uint8_t *config, int32_t len) {
  static const char baked[] = MEMHOG_CONFIG;
  return len > 0 ? memhog_em_init(config, len) : memhog_em_init((const uint8_t *)baked, (int32_t)sizeof baked - 1);
}
