#include "compile_db.hpp"

#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace racelens::cli {

std::vector<std::string> CompileDbFiles(const std::string& build_dir) {
  const std::filesystem::path path = std::filesystem::path(build_dir) / "compile_commands.json";
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("there is no " + path.string() +
                             "; configure the build with CMAKE_EXPORT_COMPILE_COMMANDS=ON or "
                             "give the build directory with -p");
  }
  nlohmann::json db = nlohmann::json::parse(in, nullptr, false);
  if (!db.is_array()) {
    throw std::runtime_error(path.string() + " is not a JSON array of compile commands");
  }
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const auto& entry : db) {
    if (!entry.is_object() || !entry.contains("file")) continue;
    std::filesystem::path file = entry["file"].get<std::string>();
    if (file.is_relative()) file = std::filesystem::path(entry.value("directory", "")) / file;
    const std::string normal = file.lexically_normal().string();
    if (seen.insert(normal).second) files.push_back(normal);
  }
  return files;
}

}  // namespace racelens::cli
