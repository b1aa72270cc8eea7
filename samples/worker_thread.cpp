// A Thread subclass that owns its input queue — the "independent tasks plus
// message queues" style Python's documentation recommends:
//
//   class WorkerThread(threading.Thread):
//       def __init__(self):
//           super().__init__()
//           self.input_queue = queue.Queue()
//       def send(self, item):
//           self.input_queue.put(item)
//       def close(self):
//           self.input_queue.put(None)
//           self.input_queue.join()
//       def run(self):
//           while True:
//               item = self.input_queue.get()
//               if item is None:
//                   break
//               print(item)
//               self.input_queue.task_done()
//           self.input_queue.task_done()
//           return
//   w = WorkerThread()
//   w.start()
//   w.send('hi')
//   w.send('world')
//   w.close()
#include <racelens/queue.hpp>
#include <racelens/threading.hpp>

#include <cstdio>
#include <optional>
#include <string>

namespace {

class WorkerThread : public racelens::Thread {
 public:
  void send(std::string item) { input_queue_.put(std::move(item)); }
  void close() {
    input_queue_.put(std::nullopt);
    input_queue_.join();
  }

 protected:
  void run() override {
    while (true) {
      std::optional<std::string> item = input_queue_.get();
      if (!item) break;
      std::printf("%s\n", item->c_str());
      input_queue_.task_done();
    }
    input_queue_.task_done();
  }

 private:
  racelens::Queue<std::optional<std::string>> input_queue_;
};

}  // namespace

int main() {
  WorkerThread w;
  w.start();
  w.send("hi");
  w.send("world");
  w.close();
  w.join();  // a Thread subclass must outlive its run() (racelens/thread.hpp)
}
