// Simulation speed: `hepek simulate` of a year with config/examples/home-sim.toml (the whole hub: plugins, in-process
// bus, lock-step phases) and, in the same run, the same devices' models stepped directly in one loop (bench_sim_models),
// so the hub's overhead per simulated step is visible. Optional: planner-home.toml (tariff + planner live) when its
// data exists. Prints one JSON object. HEPEK_BENCH_SIM_DAYS overrides the 365 days.
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

namespace {

struct Run {
  double seconds = 0;
  int exit_code = -1;
  std::string output;
};

Run run(const std::string& command) {
  Run result;
  const auto begin = std::chrono::steady_clock::now();
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  while (std::size_t n = fread(buffer, 1, sizeof buffer, pipe)) result.output.append(buffer, n);
  const int status = pclose(pipe);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

nlohmann::json simulate(const std::string& build, const std::string& config, const std::string& from,
                        int days) {
  const std::string data =
      (std::filesystem::temp_directory_path() / fmt::format("hepek-bench-sim-{}", getpid())).string();
  const Run r = run(
      fmt::format("{}/bin/hepek --config {} --data-dir {} simulate --from {} --days {} --json --no-progress",
                  build, config, data, from, days));
  std::filesystem::remove_all(data);
  nlohmann::json out{{"config", config},
                     {"days", days},
                     {"wall_s", std::round(r.seconds * 100) / 100},
                     {"simulated_days_per_s", std::round(days / r.seconds * 10) / 10},
                     {"exit_code", r.exit_code}};
  const auto summary = nlohmann::json::parse(r.output, nullptr, false);
  if (!summary.is_discarded()) {
    out["steps"] = summary.value("steps", 0);
    if (summary.contains("planner")) out["planner"] = summary["planner"];
  }
  return out;
}

}  // namespace

int main() {
  const char* env = std::getenv("HEPEK_BINARY_DIR");
  const std::string build = env ? env : "build/release";
  const int days = std::getenv("HEPEK_BENCH_SIM_DAYS") ? std::atoi(std::getenv("HEPEK_BENCH_SIM_DAYS")) : 365;
  nlohmann::json out{{"benchmark", "simulate"}};
  out["home_sim"] = simulate(build, "config/examples/home-sim.toml", "2024-01-01", days);
  // The same devices' models stepped in one plain loop, no hub: the lower bound.
  const Run models =
      run(build + "/bin/bench_sim_models --benchmark_filter=BM_SimulatedYear/900 --benchmark_format=json");
  const auto json = nlohmann::json::parse(models.output, nullptr, false);
  if (!json.is_discarded() && json.contains("benchmarks") && !json["benchmarks"].empty()) {
    const double ms = json["benchmarks"][0]["real_time"].get<double>();
    out["models_only_year_ms"] = std::round(ms * 10) / 10;
    out["hub_overhead_factor"] = std::round(out["home_sim"]["wall_s"].get<double>() * 1000 / ms * 10) / 10;
  }
  if (std::filesystem::exists("testdata/prices/nl_day_ahead_2023_hourly.csv"))  // run from the source root
    out["planner_home"] = simulate(build, "config/examples/planner-home.toml", "2023-01-01", days);
  std::cout << out.dump(2) << std::endl;
  return 0;
}
