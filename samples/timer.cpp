// threading.Timer: a function called after an interval, unless cancelled first.
//
//   def hello():
//       print('hello, world')
//   t = Timer(5.0, hello)
//   t.start()  # after 5 seconds, "hello, world" will be printed
//   u = Timer(5.0, hello)
//   u.start()
//   u.cancel()  # stops the timer if it is still waiting
//
// The interval is INTERVAL (0.2 s) instead of 5.
#include <racelens/threading.hpp>

#include <cstdio>

namespace {

constexpr double INTERVAL = 0.2;

void hello() { std::printf("hello, world\n"); }

}  // namespace

int main() {
  racelens::Timer t(INTERVAL, hello);
  t.start();  // after INTERVAL seconds, "hello, world" will be printed
  racelens::Timer u(INTERVAL, hello);
  u.start();
  u.cancel();  // stops the timer if it is still waiting
  t.join();
  u.join();
  std::printf("cancelled timer finished: %s\n", u.is_alive() ? "no" : "yes");
}
