// 代码1.5: three cooks make baozi (steamed buns) and two diners eat them,
// through a bounded Queue, printing how many are waiting:
//
//   q = queue.Queue(maxsize=10)
//   def producer(name):
//       count = 1
//       while True:
//           q.put('包子 %s' % count)
//           print('%s 生产了包子 %s，当前包子数：%s' % (name, count, q.qsize()))
//           count += 1
//           time.sleep(random.random())
//   def consumer(name):
//       while True:
//           print('%s 取到 %s 并且吃了它，当前包子数：%s' % (name, q.get(), q.qsize()))
//           time.sleep(random.random())
//
// Bounded: each cook makes BAOZI buns; once the cooks are done, the main thread
// puts one stop sentinel per diner. Pauses are up to 20 ms (1 s in the original).
#include <racelens/queue.hpp>
#include <racelens/random.hpp>
#include <racelens/threading.hpp>

#include <cstdio>
#include <deque>
#include <optional>
#include <string>

namespace {

constexpr int BAOZI = 4;

racelens::Queue<std::optional<std::string>> q(10);

void pause() { racelens::sleep(racelens::uniform(0, 0.02)); }

void producer(const std::string& name) {
  for (int count = 1; count <= BAOZI; ++count) {
    q.put("包子 " + std::to_string(count));
    std::printf("%s 生产了包子 %d，当前包子数：%zu\n", name.c_str(), count, q.qsize());
    pause();
  }
}

void consumer(const std::string& name) {
  while (true) {
    const std::optional<std::string> baozi = q.get();
    if (!baozi) break;
    std::printf("%s 取到 %s 并且吃了它，当前包子数：%zu\n", name.c_str(), baozi->c_str(),
                q.qsize());
    pause();
  }
}

}  // namespace

int main() {
  std::deque<racelens::Thread> cooks;
  for (const char* name : {"厨师A", "厨师B", "厨师C"}) cooks.emplace_back(producer, name);
  std::deque<racelens::Thread> diners;
  for (const char* name : {"顾客甲", "顾客乙"}) diners.emplace_back(consumer, name);
  for (auto& t : cooks) t.start();
  for (auto& t : diners) t.start();
  for (auto& t : cooks) t.join();
  for (std::size_t i = 0; i < diners.size(); ++i) q.put(std::nullopt);
  for (auto& t : diners) t.join();
}
