// tests/e2e/programs/misuse_release.cpp — Lock.release() on an unlocked lock, exception caught.
//
// The program swallows the RuntimeError("release unlocked lock"), as a careless Python program
// might with `except RuntimeError: pass`; the detector still records the misuse. Expected: one
// misuse report with message "release unlocked lock" at the SITE line, exit status 66.
// Twin: misuse_free.

#include "racelens/racelens.hpp"

namespace {

racelens::Lock lock{"lock"};

}  // namespace

int main() {
  try {
    lock.release();  // SITE: misuse misuse-call
  } catch (const racelens::RuntimeError&) {
    // Swallowed on purpose.
  }
  return 0;
}
