// A clean racelens program for `racelens run` tests: echoes a line of stdin to stdout, writes a
// line to stderr, and exits with the status given as its first argument.
#include <cstdlib>
#include <iostream>
#include <string>

#include "racelens/racelens.hpp"

int main(int argc, char** argv) {
  racelens::Lock lock;
  std::string line;
  std::getline(std::cin, line);
  {
    std::lock_guard guard(lock);
    std::cout << "hello " << line << "\n";
  }
  std::cerr << "a line on stderr\n";
  return argc > 1 ? std::atoi(argv[1]) : 0;
}
