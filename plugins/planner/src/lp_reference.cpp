#include "lp_reference.hpp"

#include <cmath>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <glpk.h>

namespace hepek::planner {
namespace {

struct ProblemDeleter {
  void operator()(glp_prob* lp) const { glp_delete_prob(lp); }
};

double bound(double value) {
  return std::isfinite(value) ? value : 1e12;
}

}  // namespace

LpResult solve_lp(const PlanningProblem& problem) {
  const auto& battery = problem.battery;
  const auto& grid = problem.grid;
  const int horizon = static_cast<int>(problem.steps.size());
  const double hours = problem.step_hours();
  const double to_mwh = hours / 1e6;
  if (horizon == 0) return {};
  std::unique_ptr<glp_prob, ProblemDeleter> lp(glp_create_prob());
  glp_set_obj_dir(lp.get(), GLP_MIN);

  // Columns per step: charge, discharge, import, export, curtail, soc_end[, mode binaries].
  enum { kCharge, kDischarge, kImport, kExport, kCurtail, kSoc, kColumns };
  auto column = [&](int t, int which) { return t * kColumns + which + 1; };
  glp_add_cols(lp.get(), horizon * kColumns);
  LpResult result;
  std::vector<int> ia{0}, ja{0};
  std::vector<double> ar{0};
  auto add = [&](int row, int col, double value) {
    ia.push_back(row);
    ja.push_back(col);
    ar.push_back(value);
  };
  for (int t = 0; t < horizon; ++t) {
    const auto& in = problem.steps[static_cast<size_t>(t)];
    glp_set_col_bnds(lp.get(), column(t, kCharge), GLP_DB, 0, battery.charge_max_w);
    glp_set_col_bnds(lp.get(), column(t, kDischarge), GLP_DB, 0, battery.discharge_max_w);
    glp_set_col_bnds(lp.get(), column(t, kImport), GLP_DB, 0, bound(grid.import_max_w));
    if (grid.export_max_w > 0)
      glp_set_col_bnds(lp.get(), column(t, kExport), GLP_DB, 0, bound(grid.export_max_w));
    else
      glp_set_col_bnds(lp.get(), column(t, kExport), GLP_FX, 0, 0);
    if (grid.allow_curtailment && in.pv_w > 0)
      glp_set_col_bnds(lp.get(), column(t, kCurtail), GLP_DB, 0, in.pv_w);
    else
      glp_set_col_bnds(lp.get(), column(t, kCurtail), GLP_FX, 0, 0);
    if (battery.soc_max_wh > battery.soc_min_wh)
      glp_set_col_bnds(lp.get(), column(t, kSoc), GLP_DB, battery.soc_min_wh, battery.soc_max_wh);
    else
      glp_set_col_bnds(lp.get(), column(t, kSoc), GLP_FX, battery.soc_min_wh, battery.soc_min_wh);
    const double wear = battery.wear_eur_per_mwh * to_mwh;
    glp_set_obj_coef(lp.get(), column(t, kCharge), wear);
    glp_set_obj_coef(lp.get(), column(t, kDischarge), wear);
    glp_set_obj_coef(lp.get(), column(t, kImport), in.import_eur_per_mwh * to_mwh);
    glp_set_obj_coef(lp.get(), column(t, kExport), -in.export_eur_per_mwh * to_mwh);
  }
  glp_set_obj_coef(lp.get(), column(horizon - 1, kSoc), -problem.terminal_value_eur_per_mwh / 1e6);

  // Rows per step: power balance and SoC balance.
  glp_add_rows(lp.get(), 2 * horizon);
  for (int t = 0; t < horizon; ++t) {
    const auto& in = problem.steps[static_cast<size_t>(t)];
    const int balance = 2 * t + 1, soc_row = 2 * t + 2;
    // import − export − charge + discharge − curtail = load − pv
    add(balance, column(t, kImport), 1);
    add(balance, column(t, kExport), -1);
    add(balance, column(t, kCharge), -1);
    add(balance, column(t, kDischarge), 1);
    add(balance, column(t, kCurtail), -1);
    glp_set_row_bnds(lp.get(), balance, GLP_FX, in.load_w - in.pv_w, in.load_w - in.pv_w);
    // soc_t − soc_{t−1} − ηc·h·charge + h/ηd·discharge = 0 (soc_{−1} is the start)
    add(soc_row, column(t, kSoc), 1);
    add(soc_row, column(t, kCharge), -battery.charge_efficiency * hours);
    add(soc_row, column(t, kDischarge), hours / battery.discharge_efficiency);
    double rhs = 0;
    if (t > 0)
      add(soc_row, column(t - 1, kSoc), -1);
    else
      rhs = problem.soc_start_wh;
    glp_set_row_bnds(lp.get(), soc_row, GLP_FX, rhs, rhs);
  }

  // Binaries where the relaxation could cheat: mode = 1 allows charging (and importing... see contract), 0 discharge.
  for (int t = 0; t < horizon; ++t) {
    const auto& in = problem.steps[static_cast<size_t>(t)];
    const bool risky = in.import_eur_per_mwh < 0 || in.export_eur_per_mwh < 0 ||
                       in.import_eur_per_mwh < in.export_eur_per_mwh;
    if (!risky) continue;
    result.used_binaries = true;
    const int battery_mode = glp_add_cols(lp.get(), 2);
    const int grid_mode = battery_mode + 1;
    for (int c : {battery_mode, grid_mode}) glp_set_col_kind(lp.get(), c, GLP_BV);
    const int rows = glp_add_rows(lp.get(), 4);
    // charge ≤ max·mode ; discharge ≤ max·(1 − mode)
    add(rows, column(t, kCharge), 1);
    add(rows, battery_mode, -battery.charge_max_w);
    glp_set_row_bnds(lp.get(), rows, GLP_UP, 0, 0);
    add(rows + 1, column(t, kDischarge), 1);
    add(rows + 1, battery_mode, battery.discharge_max_w);
    glp_set_row_bnds(lp.get(), rows + 1, GLP_UP, 0, battery.discharge_max_w);
    // import ≤ M·grid_mode ; export ≤ M·(1 − grid_mode)
    const double big = 1e6 + bound(std::max(std::fabs(in.load_w), in.pv_w)) * 2 + battery.charge_max_w +
                       battery.discharge_max_w;
    const double import_cap = std::min(big, bound(grid.import_max_w));
    const double export_cap = std::min(big, bound(grid.export_max_w));
    add(rows + 2, column(t, kImport), 1);
    add(rows + 2, grid_mode, -import_cap);
    glp_set_row_bnds(lp.get(), rows + 2, GLP_UP, 0, 0);
    add(rows + 3, column(t, kExport), 1);
    add(rows + 3, grid_mode, export_cap);
    glp_set_row_bnds(lp.get(), rows + 3, GLP_UP, 0, export_cap);
  }
  glp_load_matrix(lp.get(), static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());

  glp_smcp simplex;
  glp_init_smcp(&simplex);
  simplex.msg_lev = GLP_MSG_OFF;
  simplex.presolve = GLP_OFF;
  if (const int status = glp_simplex(lp.get(), &simplex); status != 0)
    throw std::runtime_error(fmt::format("GLPK simplex failed with code {}", status));
  if (glp_get_status(lp.get()) != GLP_OPT)
    throw std::runtime_error("LP has no optimum (infeasible under hard grid limits?)");
  double objective = glp_get_obj_val(lp.get());
  if (result.used_binaries) {
    glp_iocp integer;
    glp_init_iocp(&integer);
    integer.msg_lev = GLP_MSG_OFF;
    integer.mip_gap = 1e-9;
    if (const int status = glp_intopt(lp.get(), &integer); status != 0)
      throw std::runtime_error(fmt::format("GLPK intopt failed with code {}", status));
    if (glp_mip_status(lp.get()) != GLP_OPT) throw std::runtime_error("MIP has no optimum");
    objective = glp_mip_obj_val(lp.get());
  }
  auto value = [&](int col) {
    return result.used_binaries ? glp_mip_col_val(lp.get(), col) : glp_get_col_prim(lp.get(), col);
  };
  const double terminal_soc = value(column(horizon - 1, kSoc));
  result.cost_eur = objective + problem.terminal_value_eur_per_mwh / 1e6 * terminal_soc;
  for (int t = 0; t < horizon; ++t) {
    result.battery_w.push_back(value(column(t, kDischarge)) - value(column(t, kCharge)));
    result.soc_end_wh.push_back(value(column(t, kSoc)));
  }
  return result;
}

}  // namespace hepek::planner
