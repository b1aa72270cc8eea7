// The runner must fail on this file: line 9 warns without an expect-warning marker.
#include <racelens_mocks.h>

// case good: mislabelled on purpose
namespace g1 {
std::mutex a, b;
void f() {
  std::lock_guard<std::mutex> ga(a);
  std::lock_guard<std::mutex> gb(b);
}
}  // namespace g1
