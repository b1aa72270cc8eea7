// Releasing a lock nobody holds, with the error swallowed:
//
//   lock = threading.Lock()
//   try:
//       lock.release()
//   except RuntimeError:
//       pass  # the bug is hidden
//   print('carried on')
//
// The program carries on, but racelens still reports the misuse.
#include <racelens/errors.hpp>
#include <racelens/threading.hpp>

#include <cstdio>

int main() {
  racelens::Lock lock{"lock"};
  try {
    lock.release();
  } catch (const racelens::RuntimeError&) {
    // the bug is hidden
  }
  std::printf("carried on\n");
}
