#include "w1_bus.hpp"

#include <algorithm>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "w1_reading.hpp"

namespace hepek::w1 {

Result<std::vector<std::string>> list_thermometers(const std::filesystem::path& devices_dir) {
  using R = Result<std::vector<std::string>>;
  std::error_code error;
  std::filesystem::directory_iterator it(devices_dir, error);
  if (error) return R::failure(fmt::format("cannot list {}: {}", devices_dir.string(), error.message()));
  std::vector<std::string> ids;
  for (; it != std::filesystem::directory_iterator(); it.increment(error)) {
    if (error) return R::failure(fmt::format("cannot list {}: {}", devices_dir.string(), error.message()));
    const std::string name = it->path().filename().string();
    if (is_thermometer(name)) ids.push_back(name);
  }
  std::sort(ids.begin(), ids.end());
  return R::success(std::move(ids));
}

Result<double> read_thermometer(const std::filesystem::path& devices_dir, const std::string& sensor_id) {
  using R = Result<double>;
  const std::filesystem::path file = devices_dir / sensor_id / "w1_slave";
  std::ifstream in(file, std::ios::binary);
  if (!in)
    return R::failure(fmt::format("{}: cannot open (sensor gone or not yet enumerated)", file.string()));
  std::string text(kMaxW1SlaveBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return R::failure(fmt::format("{}: read error", file.string()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  if (text.size() > kMaxW1SlaveBytes)
    return R::failure(
        fmt::format("{}: more than {} bytes, not a w1_slave file", file.string(), kMaxW1SlaveBytes));
  auto celsius = parse_w1_slave(text);
  if (!celsius) return R::failure(fmt::format("{}: {}", file.string(), celsius.error()));
  return celsius;
}

}  // namespace hepek::w1
