// threading.local: each thread sees its own attributes.
//
//   mydata = threading.local()
//   def show():
//       print(threading.current_thread().name, mydata.x)
//   def worker(n):
//       mydata.x = n
//       show()
//   mydata.x = 'main'
//   threads = [threading.Thread(target=worker, args=(n,)) for n in range(3)]
//   for t in threads: t.start()
//   for t in threads: t.join()
//   show()  # still 'main'
#include <racelens/threading.hpp>

#include <cstdio>
#include <deque>
#include <string>

namespace {

struct MyData {
  std::string x;
};

racelens::local<MyData> mydata;

void show() {
  std::printf("%s %s\n", racelens::current_thread().name().c_str(), mydata->x.c_str());
}

void worker(int n) {
  mydata->x = std::to_string(n);
  show();
}

}  // namespace

int main() {
  mydata->x = "main";
  std::deque<racelens::Thread> threads;
  for (int n = 0; n < 3; ++n) threads.emplace_back(worker, n);
  for (auto& t : threads) t.start();
  for (auto& t : threads) t.join();
  show();  // still 'main'
  return mydata->x == "main" ? 0 : 1;
}
