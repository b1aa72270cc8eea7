// Must not compile: a Pool task whose argument is a raw pointer (not serialisable). With
// -DRACELENS_EXPECT_OK the same program passing the value compiles.
#include "racelens/pool.hpp"

int deref(const int* p) { return *p; }
int value(int v) { return v; }

int main() {
  racelens::Pool pool(1);
  int x = 42;
#ifdef RACELENS_EXPECT_OK
  return pool.apply(value, x) == 42 ? 0 : 1;
#else
  return pool.apply(deref, &x) == 42 ? 0 : 1;
#endif
}
