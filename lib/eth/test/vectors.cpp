#include "vectors.hpp"

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <string>

namespace hepek::eth::test {

const nlohmann::json& vectors() {
  static const nlohmann::json loaded = [] {
    // Tests run from the repository root; HEPEK_SOURCE_DIR covers running them from elsewhere.
    std::string path = "lib/eth/test/vectors/ethereum.json";
    if (const char* source = std::getenv("HEPEK_SOURCE_DIR")) path = std::string(source) + "/" + path;
    std::ifstream file(path);
    if (!file) throw std::runtime_error("cannot open test vectors " + path);
    return nlohmann::json::parse(file);
  }();
  return loaded;
}

}  // namespace hepek::eth::test
