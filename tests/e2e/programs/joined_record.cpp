// tests/e2e/programs/joined_record.cpp — the fixed twin of racy_record: the writes ordered.
//
// The same two writes of the 32-byte Shared `record`, but the second writer starts only after
// the first is joined (join, then start: both happens-before edges), and main reads the value
// after joining both. Expected: no report, exit status 0 (1 if the value is wrong).

#include <array>

#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Shared<std::array<long, 4>> record{{}, "record"};

}  // namespace

int main() {
  racelens::Thread first(racelens::ThreadOptions{.name = "writer-1", .daemon = false},
                         [] { record.write([](auto& r) { r.fill(1); }); });
  racelens::Thread second(racelens::ThreadOptions{.name = "writer-2", .daemon = false},
                          [] { record.write([](auto& r) { r.fill(2); }); });
  first.start();
  first.join();
  second.start();
  second.join();
  return record.read([](const auto& r) { return r[0] == 2 && r[3] == 2; }) ? 0 : 1;
}
