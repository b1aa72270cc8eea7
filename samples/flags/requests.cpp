#include "requests.hpp"

#include <httplib.h>

#include <chrono>
#include <string>
#include <utility>

namespace flags::requests {

void Response::raise_for_status() const {
  if (status_code >= 400) throw HTTPError(*this);
}

HTTPError::HTTPError(Response response)
    : std::runtime_error(std::to_string(response.status_code) + " " + response.reason +
                         " for url: " + response.url),
      response_(std::move(response)) {}

Response get(const std::string& url, double timeout) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) throw ConnectionError("not an http:// URL: " + url);
  const std::size_t slash = url.find('/', scheme.size());
  const std::string origin = url.substr(0, slash);
  const std::string path = slash == std::string::npos ? "/" : url.substr(slash);

  httplib::Client client(origin);
  const auto limit =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::duration<double>(timeout));
  client.set_connection_timeout(limit);
  client.set_read_timeout(limit);
  httplib::Result result = client.Get(path);
  if (!result) {
    throw ConnectionError("Connection error: " + httplib::to_string(result.error()) + " (" + url +
                          ")");
  }
  return Response{result->status, result->reason, result->body, url};
}

}  // namespace flags::requests
