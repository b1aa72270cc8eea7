// A racelens program for `racelens run` tests whose only finding is made in a child process: the
// child releases an unlocked lock (a misuse, caught); the parent reports nothing itself.
#include <cstdio>

#include "racelens/errors.hpp"
#include "racelens/process.hpp"
#include "racelens/threading.hpp"

namespace {

void release_unlocked() {
  racelens::Lock lock{"child_lock"};
  try {
    lock.release();
  } catch (const racelens::RuntimeError&) {
    // the misuse is still reported
  }
}

}  // namespace

int main() {
  racelens::Process child(release_unlocked);
  child.start();
  child.join();
  std::printf("child exitcode %d\n", child.exitcode().value_or(-1));
  return 0;
}
