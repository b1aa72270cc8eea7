// samples/flags/requests.hpp — the little of Python's `requests` the flag examples use, over
// cpp-httplib.
//
// Defines (namespace flags::requests):
//   Response          status_code, reason, content, url; raise_for_status()
//   HTTPError         raised by raise_for_status() for a 4xx/5xx answer; carries the Response
//   ConnectionError   no answer at all (refused, reset, timed out)
//   get(url, timeout) one GET on a new connection, as requests.get(url) does
//
// get() takes an absolute "http://host:port/path" URL; only plain HTTP (the flags samples talk
// to their own server on 127.0.0.1). Thread-safe: every call uses its own connection.
#pragma once

#include <stdexcept>
#include <string>

namespace flags::requests {

struct Response {
  int status_code = 0;
  std::string reason;
  std::string content;
  std::string url;

  // Throws HTTPError when status_code is 400 or more.
  void raise_for_status() const;
};

class HTTPError : public std::runtime_error {
 public:
  explicit HTTPError(Response response);
  const Response& response() const { return response_; }

 private:
  Response response_;
};

class ConnectionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// `timeout` is in seconds, for connecting and for each read (requests' semantics).
Response get(const std::string& url, double timeout = 6.1);

}  // namespace flags::requests
