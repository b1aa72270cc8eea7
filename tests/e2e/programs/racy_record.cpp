// tests/e2e/programs/racy_record.cpp — a data race on a Shared value wider than 8 bytes.
//
// `record` is a Shared<std::array<long, 4>> (32 bytes, four of the detector's granules; a
// Shared keeps one race state for its whole value). Two threads, started together and joined
// only at the end, each write it once through write(f); nothing orders the two writes, so
// happens-before reports the pair in every run. Expected: one data-race report on 'record'
// whose two writes are the two SITE lines. Twin: joined_record.

#include <array>

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Shared<std::array<long, 4>> record{{}, "record"};

void first_writer() {
  record.write([](auto& r) { r.fill(1); });  // SITE: data-race write record
}

void second_writer() {
  record.write([](auto& r) { r.fill(2); });  // SITE: data-race write record
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
