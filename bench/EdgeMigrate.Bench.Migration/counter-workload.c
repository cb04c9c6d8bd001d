// A stateful test workload: MEM_MIB of memory filled with pseudo-random words, DIRTY_MIB_PER_S of it rewritten
// every second, a counter ticking every 100 ms, and every second a full re-check of the memory against a running
// sum. Each tick writes "COUNTER ok|CORRUPT SUM" to STATEFILE (opened and closed each time: no fd for CRIU).
// usage: counter-workload MEM_MIB DIRTY_MIB_PER_S STATEFILE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>
int main(int argc, char **argv) {
  size_t mib = argc > 1 ? strtoul(argv[1],0,10) : 16;
  double dirty = argc > 2 ? atof(argv[2]) : 0;
  const char *state = argc > 3 ? argv[3] : "/state";
  size_t n = mib * 1024 * 1024 / 8, pages = n / 512;
  uint64_t *buf = malloc(n * 8), sum = 0, counter = 0, seed = 88172645463325252ull;
  for (size_t i = 0; i < n; i++) { seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; buf[i] = seed; sum += seed; }
  size_t next = 0; double carry = 0;
  for (;;) {
    struct timespec ts = {0, 100000000}; nanosleep(&ts, 0);
    counter++;
    carry += dirty * 1024 * 1024 / 4096 / 10.0;  // pages per tick
    while (carry >= 1) { size_t p = (next * 7919) % pages; next++; size_t w = p * 512 + (counter % 512);
      seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17; sum -= buf[w]; buf[w] = seed; sum += seed; carry -= 1; }
    int ok = 1;
    if (counter % 10 == 0) { uint64_t s = 0; for (size_t i = 0; i < n; i++) s += buf[i]; ok = s == sum; }
    char line[128]; int len = snprintf(line, sizeof line, "%llu %s %016llx\n", (unsigned long long)counter, ok ? "ok" : "CORRUPT", (unsigned long long)sum);
    char tmp[256]; snprintf(tmp, sizeof tmp, "%s.tmp", state);
    int fd = open(tmp, O_WRONLY|O_CREAT|O_TRUNC, 0644); if (fd >= 0) { write(fd, line, len); close(fd); rename(tmp, state); }
    if (!ok) { sum = 0; for (size_t i = 0; i < n; i++) sum += buf[i]; }
  }
}
