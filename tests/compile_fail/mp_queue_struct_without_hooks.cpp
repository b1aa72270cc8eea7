// Must not compile: an mp::Queue of a struct without the serialisation hooks. With
// -DRACELENS_EXPECT_OK the struct has them and the program compiles.
#include "racelens/mp_queue.hpp"

struct Point {
  int x = 0;
  int y = 0;
#ifdef RACELENS_EXPECT_OK
  void racelens_serialise(racelens::ByteWriter& out) const {
    out.write(x);
    out.write(y);
  }
  static Point racelens_deserialise(racelens::ByteReader& in) {
    Point p;
    p.x = in.read<int>();
    p.y = in.read<int>();
    return p;
  }
#endif
};

int main() {
  racelens::mp::JoinableQueue<Point> queue;
  queue.put(Point{1, 2});
  return queue.get().y == 2 ? 0 : 1;
}
