// tests/e2e/programs/hb_edges_clean.cpp — data handed over through every primitive stays clean.
//
// Each section hands a Shared value from one thread to another through one happens-before edge
// of DESIGN.md § Detection, and nothing else: the writer touches the value after the reader
// has started and the reader touches it before it is joined, so were the edge missing, the pair
// would be reported in every run. Each section's value has its own name, so a false report
// names the edge that failed.
//
//   queue_data      Queue.put -> the get of that item
//   queue_result    Queue.task_done -> Queue.join
//   cond_data       Condition: notify under the lock -> the woken wait_for (predicate)
//   sem_data        Semaphore.release -> the acquire it enables
//   barrier_slot_N  Barrier.wait: every arrival -> every departure (two phases)
//   event_data      Event.set -> the wait that observes it
//   lock_data       Lock release -> next acquire
//   rlock_data      RLock full release -> next acquire
//   join_data       thread start and join
//
// Expected: no report, exit status 0 (1 if a value arrived wrong).

#include <mutex>

#include "racelens/queue.hpp"
#include "racelens/racelens.hpp"
#include "racelens/shared.hpp"

namespace {

bool ok = true;

void Check(bool condition) {
  if (!condition) ok = false;  // only main calls Check
}

void QueueHandOff() {
  racelens::Queue<int> queue{0, "queue"};
  racelens::Shared<int> data{0, "queue_data"};
  racelens::Shared<int> result{0, "queue_result"};
  racelens::Thread consumer(racelens::ThreadOptions{.name = "queue-consumer", .daemon = false},
                            [&] {
                              const int item = queue.get();
                              result.store(data.load() + item);  // data written before put()
                              data.store(0);
                              queue.task_done();
                            });
  consumer.start();
  data.store(40);
  queue.put(2);
  queue.join();  // task_done -> join
  Check(result.load() == 42);
  Check(data.load() == 0);
  consumer.join();
}

void ConditionHandOff() {
  racelens::Condition cond{nullptr, "cond"};
  racelens::Shared<bool> ready{false, "cond_ready"};
  racelens::Shared<int> data{0, "cond_data"};
  racelens::Thread waiter(racelens::ThreadOptions{.name = "cond-waiter", .daemon = false}, [&] {
    {
      std::lock_guard hold(cond);
      cond.wait_for([&] { return ready.load(); });
    }
    data.store(data.load() + 1);  // outside the lock: ordered by the hand-off alone
  });
  waiter.start();
  data.store(41);
  {
    std::lock_guard hold(cond);
    ready.store(true);
    cond.notify();
  }
  waiter.join();
  Check(data.load() == 42);
}

void SemaphoreHandOff() {
  racelens::Semaphore sem{0, "sem"};
  racelens::Shared<int> data{0, "sem_data"};
  racelens::Thread taker(racelens::ThreadOptions{.name = "sem-taker", .daemon = false}, [&] {
    sem.acquire();
    data.store(data.load() + 1);
  });
  taker.start();
  data.store(41);
  sem.release();
  taker.join();
  Check(data.load() == 42);
}

void BarrierPhases() {
  constexpr int kParties = 3;
  racelens::Barrier barrier{kParties, {}, -1, "barrier"};
  racelens::Shared<int> slot0{0, "barrier_slot_0"};
  racelens::Shared<int> slot1{0, "barrier_slot_1"};
  racelens::Shared<int> slot2{0, "barrier_slot_2"};
  racelens::Shared<int>* slots[kParties] = {&slot0, &slot1, &slot2};
  racelens::Shared<int> sums0{0, "barrier_sum_0"};
  racelens::Shared<int> sums1{0, "barrier_sum_1"};
  racelens::Shared<int> sums2{0, "barrier_sum_2"};
  racelens::Shared<int>* sums[kParties] = {&sums0, &sums1, &sums2};
  auto party = [&](int me) {
    slots[me]->store(me + 1);  // phase 1: write my slot
    barrier.wait();
    int sum = 0;  // phase 2: read every slot
    for (auto* slot : slots) sum += slot->load();
    sums[me]->store(sum);
    barrier.wait();
    slots[me]->store(0);  // phase 3: write my slot again, after everyone read it
  };
  racelens::Thread second(racelens::ThreadOptions{.name = "barrier-1", .daemon = false}, party, 1);
  racelens::Thread third(racelens::ThreadOptions{.name = "barrier-2", .daemon = false}, party, 2);
  second.start();
  third.start();
  party(0);
  second.join();
  third.join();
  for (auto* sum : sums) Check(sum->load() == 6);
}

void EventHandOff() {
  racelens::Event event{"event"};
  racelens::Shared<int> data{0, "event_data"};
  racelens::Thread waiter(racelens::ThreadOptions{.name = "event-waiter", .daemon = false}, [&] {
    event.wait();
    data.store(data.load() + 1);
  });
  waiter.start();
  data.store(41);
  event.set();
  waiter.join();
  Check(data.load() == 42);
}

void LockHandOff() {
  racelens::Lock lock{"lock"};
  racelens::RLock rlock{"rlock"};
  racelens::Shared<int> data{0, "lock_data"};
  racelens::Shared<int> rdata{0, "rlock_data"};
  auto add = [&] {
    for (int i = 0; i < 10; ++i) {
      {
        std::lock_guard hold(lock);
        data += 1;
      }
      std::lock_guard outer(rlock);
      std::lock_guard inner(rlock);  // recursive: only the outer release publishes
      rdata += 1;
    }
  };
  racelens::Thread adder(racelens::ThreadOptions{.name = "lock-adder", .daemon = false}, add);
  adder.start();
  add();
  adder.join();
  Check(data.load() == 20);
  Check(rdata.load() == 20);
}

void JoinHandOff() {
  racelens::Shared<int> data{0, "join_data"};
  data.store(41);  // before start
  racelens::Thread child(racelens::ThreadOptions{.name = "join-child", .daemon = false},
                         [&] { data.store(data.load() + 1); });
  child.start();
  child.join();
  Check(data.load() == 42);  // after join
}

}  // namespace

int main() {
  QueueHandOff();
  ConditionHandOff();
  SemaphoreHandOff();
  BarrierPhases();
  EventHandOff();
  LockHandOff();
  JoinHandOff();
  return ok ? 0 : 1;
}
