// multiprocessing.dummy.Pool (threads behind the process-pool interface)
// against the built-in map over 13 I/O-bound jobs, each timed:
//
//   from multiprocessing.dummy import Pool as ThreadPool
//   urls = [...]  # 13 pages
//   @timethis
//   def f1():
//       results = list(map(urllib.request.urlopen, urls))
//   @timethis
//   def f2():
//       pool = ThreadPool(13)
//       results = pool.map(urllib.request.urlopen, urls)
//       pool.close()
//       pool.join()
//
// The network is simulated: `urlopen` waits LATENCY seconds and returns the
// page's length. The pool runs the 13 waits at once, so f2 takes about one.
#include <racelens/pool.hpp>
#include <racelens/threading.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr double LATENCY = 0.05;

const std::vector<std::string> urls = {"http://www.python.org",
                                       "http://www.python.org/about/",
                                       "http://www.python.org/doc/",
                                       "http://www.python.org/download/",
                                       "http://www.python.org/getit/",
                                       "http://www.python.org/community/",
                                       "https://wiki.python.org/moin/",
                                       "http://planet.python.org/",
                                       "https://wiki.python.org/moin/LocalUserGroups",
                                       "http://www.python.org/psf/",
                                       "http://docs.python.org/devguide/",
                                       "http://www.python.org/community/awards/",
                                       "http://www.python.org/events/"};

std::size_t urlopen(const std::string& url) {
  racelens::sleep(LATENCY);  // the request
  return url.size();         // the page
}

template <class F>
void timethis(const char* name, F func) {
  const auto start = std::chrono::steady_clock::now();
  func();
  const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;
  std::printf("__main__.%s : %.4f\n", name, elapsed.count());
}

void f1() {
  std::vector<std::size_t> results;
  for (const std::string& url : urls) results.push_back(urlopen(url));
}

void f2() {
  racelens::dummy::Pool pool(13);
  const std::vector<std::size_t> results = pool.map(urlopen, urls);
  pool.close();
  pool.join();
}

}  // namespace

int main() {
  timethis("f1", f1);
  timethis("f2", f2);
}
