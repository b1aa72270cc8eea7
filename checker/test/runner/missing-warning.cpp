// The runner must fail on this file: line 8 expects a warning that never comes.
#include <racelens_mocks.h>

// case bad: nothing is wrong here, so the expectation below is missing
namespace b1 {
std::mutex m;
void f() {
  std::lock_guard<std::mutex> g(m);  // expect-warning: 'm' is acquired
}
}  // namespace b1
