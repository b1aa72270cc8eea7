// tests/e2e/programs/deadlock_future.cpp — waiting forever on a future whose task waits forever.
//
// The task waits on an Event that nobody sets; main waits on the task's future with no timeout.
// Both threads are blocked with no timeout pending (the worker in Event.wait(), main in
// Future.result()), so after deadlock_timeout the runtime reports a deadlock listing both
// blocking calls — in every run — and exits with the report exit code instead of hanging.
// Twin: future_result.

#include "racelens/futures.hpp"
#include "racelens/threading.hpp"

namespace {

racelens::Event never{"never"};

void stuck() {
  never.wait();  // SITE: deadlock blocking-call never
}

}  // namespace

int main() {
  racelens::ThreadPoolExecutor executor(1, "pool");
  racelens::Future<void> f = executor.submit(stuck);
  f.result();  // SITE: deadlock blocking-call
  never.set();
  return 0;
}
