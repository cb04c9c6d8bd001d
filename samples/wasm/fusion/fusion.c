/* Per-vehicle sensor fusion: a small stateful service for EdgeMigrate's WebAssembly engine.
 *
 * Requests (text, one per call):
 *   obs VEHICLE T X Y      GPS fix at time T (s): fused with the vehicle's constant-velocity estimate
 *   get VEHICLE            current estimate
 *   stats                  vehicles, observations, journal size, digest of every request so far
 * Each answer depends on every earlier request (the digest, the filters) and on the journal file the
 * service appends to in its preopened directory /data (so file state must move with it, too). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../em_contract.h"

typedef struct vehicle {
  char id[32];
  double t, x, y, vx, vy, var;
  long fixes;
  struct vehicle *next;
} vehicle;

#define BUCKETS 64
static vehicle *table[BUCKETS];
static long vehicles, observations, requests;
static uint64_t digest = 1469598103934665603ULL; /* FNV-1a over every request */
static uint8_t *inbox;
static int32_t inbox_cap;
static char outbox[512];
static double gain = 0.5;

uint8_t *em_alloc(int32_t len) {
  if (len > inbox_cap) {
    free(inbox);
    inbox_cap = len < 256 ? 256 : len;
    inbox = malloc((size_t)inbox_cap);
  }
  return inbox;
}

int32_t em_init(const uint8_t *config, int32_t len) {
  char buf[64] = {0};
  memcpy(buf, config, len < 63 ? (size_t)len : 63);
  double g;
  if (sscanf(buf, "gain=%lf", &g) == 1 && g > 0 && g <= 1) gain = g;
  return 0;
}

static unsigned bucket(const char *id) {
  unsigned h = 5381;
  for (; *id; id++) h = h * 33 + (unsigned char)*id;
  return h % BUCKETS;
}

static vehicle *find(const char *id, int create) {
  vehicle **slot = &table[bucket(id)];
  for (vehicle *v = *slot; v; v = v->next)
    if (strcmp(v->id, id) == 0) return v;
  if (!create) return NULL;
  vehicle *v = calloc(1, sizeof *v);
  strncpy(v->id, id, sizeof v->id - 1);
  v->var = 100.0;
  v->next = *slot;
  *slot = v;
  vehicles++;
  return v;
}

static long journal_append(const char *line) {
  FILE *f = fopen("/data/journal.log", "a");
  if (!f) return -1;
  fputs(line, f);
  fputc('\n', f);
  long size = ftell(f);
  fclose(f); /* no descriptor stays open across calls: the contract requires it */
  return size;
}

static long journal_size(void) {
  FILE *f = fopen("/data/journal.log", "r");
  if (!f) return 0;
  fseek(f, 0, SEEK_END);
  long size = ftell(f);
  fclose(f);
  return size;
}

int64_t em_handle(const uint8_t *request, int32_t len) {
  char line[256] = {0};
  memcpy(line, request, len < 255 ? (size_t)len : 255);
  for (int32_t i = 0; i < len; i++) digest = (digest ^ request[i]) * 1099511628211ULL;
  requests++;

  char id[32];
  double t, x, y;
  int n = 0;
  if (sscanf(line, "obs %31s %lf %lf %lf", id, &t, &x, &y) == 4) {
    vehicle *v = find(id, 1);
    if (v->fixes == 0) {
      v->x = x; v->y = y;
    } else {
      double dt = t - v->t;
      if (dt <= 0) dt = 1e-3;
      double px = v->x + v->vx * dt, py = v->y + v->vy * dt;
      double k = (v->var + dt) / (v->var + dt + 1.0 / gain);
      double nx = px + k * (x - px), ny = py + k * (y - py);
      v->vx = 0.7 * v->vx + 0.3 * (nx - v->x) / dt;
      v->vy = 0.7 * v->vy + 0.3 * (ny - v->y) / dt;
      v->x = nx; v->y = ny;
      v->var = (1 - k) * (v->var + dt);
    }
    v->t = t;
    v->fixes++;
    observations++;
    char entry[96];
    snprintf(entry, sizeof entry, "%s %.3f %.3f %.3f", id, t, v->x, v->y);
    long size = journal_append(entry);
    n = snprintf(outbox, sizeof outbox, "%s fix=%ld est=(%.4f,%.4f) vel=(%.4f,%.4f) var=%.5f journal=%ld",
                 id, v->fixes, v->x, v->y, v->vx, v->vy, v->var, size);
  } else if (sscanf(line, "get %31s", id) == 1) {
    vehicle *v = find(id, 0);
    n = v ? snprintf(outbox, sizeof outbox, "%s fix=%ld est=(%.4f,%.4f)", id, v->fixes, v->x, v->y)
          : snprintf(outbox, sizeof outbox, "%s unknown", id);
  } else if (strncmp(line, "stats", 5) == 0) {
    n = snprintf(outbox, sizeof outbox, "vehicles=%ld observations=%ld requests=%ld journal=%ld digest=%016llx",
                 vehicles, observations, requests, journal_size(), (unsigned long long)digest);
  } else {
    n = snprintf(outbox, sizeof outbox, "error: unknown request");
  }
  return em_response(outbox, n);
}
