// The producer/consumer template of Python's threading documentation, with the
// wait inside a loop that checks the condition — the right way:
//
//   # Consume one item
//   with cv:
//       while not an_item_is_available():
//           cv.wait()
//       get_an_available_item()
//
//   # Produce one item
//   with cv:
//       make_an_item_available()
//       cv.notify()
//
// Three consumers and three producers, one item each; nothing to report.
#include <racelens/shared.hpp>
#include <racelens/threading.hpp>

#include <cstdio>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace {

racelens::Condition cv{nullptr, "cv"};
racelens::Shared<std::vector<std::string>> items{{}, "items"};

bool an_item_is_available() {
  return items.read([](const std::vector<std::string>& v) { return !v.empty(); });
}

std::string get_an_available_item() {
  return items.write([](std::vector<std::string>& v) {
    std::string item = v.back();
    v.pop_back();
    return item;
  });
}

void make_an_item_available(std::string item) {
  items.write([&](std::vector<std::string>& v) { v.push_back(std::move(item)); });
}

void consumer() {
  std::string item;
  {
    std::lock_guard with(cv);
    while (!an_item_is_available()) cv.wait();
    item = get_an_available_item();
  }
  std::printf("%s consumed %s\n", racelens::current_thread().name().c_str(), item.c_str());
}

void producer(int n) {
  std::lock_guard with(cv);
  make_an_item_available("item-" + std::to_string(n));
  cv.notify();
}

}  // namespace

int main() {
  std::deque<racelens::Thread> threads;
  for (int n = 0; n < 3; ++n) threads.emplace_back(consumer);
  for (int n = 0; n < 3; ++n) threads.emplace_back(producer, n);
  for (auto& t : threads) t.start();
  for (auto& t : threads) t.join();
}
