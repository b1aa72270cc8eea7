// Producer/consumer processes over a JoinableQueue of tasks and a Queue of
// results (PyMOTW's multiprocessing_producer_consumer.py):
//
//   class Consumer(multiprocessing.Process):
//       def __init__(self, task_queue, result_queue):
//           multiprocessing.Process.__init__(self)
//           self.task_queue = task_queue
//           self.result_queue = result_queue
//       def run(self):
//           proc_name = self.name
//           while True:
//               next_task = self.task_queue.get()
//               if next_task is None:
//                   # Poison pill means shutdown
//                   print('{}: Exiting'.format(proc_name))
//                   self.task_queue.task_done()
//                   break
//               print('{}: {}'.format(proc_name, next_task))
//               answer = next_task()
//               self.task_queue.task_done()
//               self.result_queue.put(answer)
//   class Task:
//       def __init__(self, a, b):
//           self.a = a
//           self.b = b
//       def __call__(self):
//           time.sleep(0.1)  # pretend to take time to do the work
//           return '{self.a} * {self.b} = {product}'.format(self=self, product=self.a * self.b)
//       def __str__(self):
//           return '{self.a} * {self.b}'.format(self=self)
//   tasks = multiprocessing.JoinableQueue()
//   results = multiprocessing.Queue()
//   num_consumers = multiprocessing.cpu_count() * 2
//   print('Creating {} consumers'.format(num_consumers))
//   consumers = [Consumer(tasks, results) for i in range(num_consumers)]
//   for w in consumers:
//       w.start()
//   num_jobs = 10
//   for i in range(num_jobs):
//       tasks.put(Task(i, i))
//   for i in range(num_consumers):
//       tasks.put(None)
//   tasks.join()
//   while num_jobs:
//       result = results.get()
//       print('Result:', result)
//       num_jobs -= 1
//
// A Task crosses processes, so it is serialisable (its two hooks); None is an
// empty std::optional. The work takes 10 ms instead of 0.1 s.
#include <racelens/mp_queue.hpp>
#include <racelens/process.hpp>
#include <racelens/serialize.hpp>
#include <racelens/threading.hpp>

#include <cstdio>
#include <deque>
#include <optional>
#include <string>
#include <thread>

namespace {

struct Task {
  int a = 0;
  int b = 0;

  std::string operator()() const {
    racelens::sleep(0.01);  // pretend to take time to do the work
    return std::to_string(a) + " * " + std::to_string(b) + " = " + std::to_string(a * b);
  }
  std::string str() const { return std::to_string(a) + " * " + std::to_string(b); }

  void racelens_serialise(racelens::ByteWriter& out) const {
    out.write(a);
    out.write(b);
  }
  static Task racelens_deserialise(racelens::ByteReader& in) {
    Task task;
    task.a = in.read<int>();
    task.b = in.read<int>();
    return task;
  }
};

using TaskQueue = racelens::mp::JoinableQueue<std::optional<Task>>;
using ResultQueue = racelens::mp::Queue<std::string>;

class Consumer : public racelens::Process {
 public:
  Consumer(TaskQueue& task_queue, ResultQueue& result_queue)
      : task_queue_(task_queue), result_queue_(result_queue) {}

 protected:
  void run() override {
    const std::string proc_name = name();
    while (true) {
      const std::optional<Task> next_task = task_queue_.get();
      if (!next_task) {
        // Poison pill means shutdown
        std::printf("%s: Exiting\n", proc_name.c_str());
        std::fflush(stdout);
        task_queue_.task_done();
        break;
      }
      std::printf("%s: %s\n", proc_name.c_str(), next_task->str().c_str());
      std::fflush(stdout);
      const std::string answer = (*next_task)();
      task_queue_.task_done();
      result_queue_.put(answer);
    }
  }

 private:
  TaskQueue& task_queue_;
  ResultQueue& result_queue_;
};

}  // namespace

int main() {
  TaskQueue tasks;
  ResultQueue results;
  const int num_consumers = static_cast<int>(std::thread::hardware_concurrency()) * 2;
  std::printf("Creating %d consumers\n", num_consumers);
  std::fflush(stdout);
  std::deque<Consumer> consumers;
  for (int i = 0; i < num_consumers; ++i) consumers.emplace_back(tasks, results);
  for (auto& w : consumers) w.start();
  int num_jobs = 10;
  for (int i = 0; i < num_jobs; ++i) tasks.put(Task{i, i});
  for (int i = 0; i < num_consumers; ++i) tasks.put(std::nullopt);
  tasks.join();
  while (num_jobs) {
    const std::string result = results.get();
    std::printf("Result: %s\n", result.c_str());
    num_jobs -= 1;
  }
  for (auto& w : consumers) w.join();
}
