// tests/e2e/programs/joined_raw.cpp — the fixed twin of racy_raw: the writes ordered by join.
//
// The first writer is joined before the second one starts, and main touches `hits` only before
// the first start and after each join: thread start (parent -> child) and join (child -> parent)
// order every access. Expected: no report, exit status 0.

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

int hits = 0;

void writer(int value) {
  RACELENS_READ(&hits, sizeof hits, "hits");
  RACELENS_WRITE(&hits, sizeof hits, "hits");
  hits += value;
}

}  // namespace

int main() {
  RACELENS_WRITE(&hits, sizeof hits, "hits");
  hits = 0;
  racelens::Thread first(racelens::ThreadOptions{.name = "writer-1", .daemon = false}, writer, 1);
  first.start();
  first.join();
  RACELENS_READ(&hits, sizeof hits, "hits");
  racelens::Thread second(racelens::ThreadOptions{.name = "writer-2", .daemon = false}, writer, 2);
  second.start();
  second.join();
  RACELENS_READ(&hits, sizeof hits, "hits");
  return hits == 3 ? 0 : 1;
}
