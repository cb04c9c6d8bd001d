/* A memory-heavy workload: keeps MIB MiB of state in linear memory and rewrites DIRTY randomly chosen
 * 64 KiB pages on every request (config "mib=16 dirty=32"). The answer to each request is a digest that
 * depends on the whole history, so a lost or stale page after a migration shows up in the answers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../em_contract.h"

#define PAGE 65536u
static uint64_t *heap_pages; /* MIB * 16 pages of PAGE bytes */
static uint32_t pages = 16 * 16, dirty = 32;
static uint64_t rng = 0x9E3779B97F4A7C15ULL, digest, requests;
static uint8_t inbox[256];
static char outbox[160];

static uint64_t next(void) {
  rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17;
  return rng;
}

uint8_t *em_alloc(int32_t len) { return len <= (int32_t)sizeof inbox ? inbox : NULL; }

int32_t em_init(const uint8_t *config, int32_t len) {
  char buf[128] = {0};
  memcpy(buf, config, len < 127 ? (size_t)len : 127);
  unsigned mib = 16, d = 32;
  char *p;
  if ((p = strstr(buf, "mib="))) mib = (unsigned)strtoul(p + 4, NULL, 10);
  if ((p = strstr(buf, "dirty="))) d = (unsigned)strtoul(p + 6, NULL, 10);
  if (mib == 0 || mib > 1024) return 1;
  pages = mib * 16;
  dirty = d;
  /* Page-aligned, so "dirty=N" means exactly N wasm pages per request. */
  heap_pages = aligned_alloc(PAGE, (size_t)pages * PAGE);
  if (!heap_pages) return 2;
  for (uint32_t i = 0; i < pages; i++) {
    uint64_t *w = heap_pages + (size_t)i * (PAGE / 8);
    for (uint32_t j = 0; j < PAGE / 8; j += 8) w[j] = next();
  }
  return 0;
}

int64_t em_handle(const uint8_t *request, int32_t len) {
  if (!heap_pages && em_init((const uint8_t *)"", 0) != 0) return em_response("error: init", 11);
  uint64_t salt = 0;
  for (int32_t i = 0; i < len; i++) salt = salt * 131 + request[i];
  requests++;
  for (uint32_t k = 0; k < dirty; k++) {
    uint32_t page = (uint32_t)(next() % pages);
    uint64_t *w = heap_pages + (size_t)page * (PAGE / 8);
    uint64_t old = w[(next() % (PAGE / 8))];
    for (uint32_t j = 0; j < PAGE / 8; j += 16) w[j] = w[j] * 6364136223846793005ULL + salt + old;
    digest = (digest ^ w[0] ^ old) * 1099511628211ULL;
  }
  int n = snprintf(outbox, sizeof outbox, "req=%llu pages=%u dirty=%u digest=%016llx",
                   (unsigned long long)requests, pages, dirty, (unsigned long long)digest);
  return em_response(outbox, n);
}
