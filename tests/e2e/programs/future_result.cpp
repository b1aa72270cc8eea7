// tests/e2e/programs/future_result.cpp — the fixed twin of future_race: every hand-off through
// a future or an executor is ordered.
//
// Each edge of DESIGN.md § Detection for futures is used once, with tracked memory written on
// one side and read on the other: submit -> task start ('input'), task end -> result()
// ('output'), -> done() ('polled'), -> a done-callback added after completion ('callback'),
// -> as_completed() ('first', 'second'), -> wait() ('waited'), -> map's results ('square<i>'),
// and shutdown(wait=true) -> after every task ('late'). Tasks run on two workers. Expected: no
// report, exit status 0 (1 if a value is wrong).

#include <vector>

#include "racelens/futures.hpp"
#include "racelens/shared.hpp"

namespace {

racelens::Shared<int> input{0, "input"};
racelens::Shared<int> output{0, "output"};
racelens::Shared<int> polled{0, "polled"};
racelens::Shared<int> callback{0, "callback"};
racelens::Shared<int> first{0, "first"};
racelens::Shared<int> second{0, "second"};
racelens::Shared<int> waited{0, "waited"};
racelens::Shared<int> late{0, "late"};
racelens::Shared<int> squares[4] = {
    racelens::Shared<int>{0, "square0"}, racelens::Shared<int>{0, "square1"},
    racelens::Shared<int>{0, "square2"}, racelens::Shared<int>{0, "square3"}};

}  // namespace

int main() {
  int bad = 0;
  racelens::ThreadPoolExecutor executor(2, "pool");

  input.store(20);
  racelens::Future<void> f1 = executor.submit([] { output.store(input.load() + 1); });
  f1.result();
  bad += output.load() != 21;

  racelens::Future<void> f2 = executor.submit([] { polled.store(5); });
  while (!f2.done()) {
  }
  bad += polled.load() != 5;

  racelens::Future<int> f3 = executor.submit([] {
    callback.store(7);
    return 7;
  });
  f3.result();
  f3.add_done_callback([&](racelens::Future<int>) { bad += callback.load() != 7; });

  std::vector<racelens::Future<void>> pair = {executor.submit([] { first.store(1); }),
                                              executor.submit([] { second.store(2); })};
  for (const auto& f : racelens::as_completed(pair)) (void)f;
  bad += first.load() + second.load() != 3;

  racelens::Future<void> f4 = executor.submit([] { waited.store(9); });
  racelens::wait({f4});
  bad += waited.load() != 9;

  auto results = executor.map(
      [](int i) {
        squares[i].store(i * i);
        return i;
      },
      std::vector<int>{0, 1, 2, 3});
  int sum = 0;
  for (int i : results) sum += i + squares[i].load();
  bad += sum != 6 + 14;

  (void)executor.submit([] { late.store(3); });
  executor.shutdown(true);
  bad += late.load() != 3;
  return bad == 0 ? 0 : 1;
}
