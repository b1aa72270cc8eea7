// tests/e2e/programs/racy_raw.cpp — RACELENS_WRITE on a plain int from two threads: a data race.
//
// `hits` is ordinary memory the program announces with RACELENS_WRITE. Two threads, started
// together and joined only at the end, each write it once; nothing orders the two writes, so
// happens-before reports the pair in every run. Expected: one data-race report on 'hits' whose
// two writes are the two SITE lines. Twin: joined_raw.

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

int hits = 0;

void first_writer() {
  RACELENS_WRITE(&hits, sizeof hits, "hits");  // SITE: data-race write hits
  hits = 1;
}

void second_writer() {
  RACELENS_WRITE(&hits, sizeof hits, "hits");  // SITE: data-race write hits
  hits = 2;
}

}  // namespace

int main() {
  racelens::Thread first(racelens::ThreadOptions{.name = "writer-1", .daemon = false},
                         first_writer);
  racelens::Thread second(racelens::ThreadOptions{.name = "writer-2", .daemon = false},
                          second_writer);
  first.start();
  second.start();
  first.join();
  second.join();
  return 0;
}
