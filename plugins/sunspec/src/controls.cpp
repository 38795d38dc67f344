#include "controls.hpp"

#include <cmath>

#include <fmt/format.h>

#include "point_codec.hpp"

namespace hepek::sunspec {
namespace {

using OJson = nlohmann::ordered_json;

constexpr int64_t kEnabled = 1;
constexpr int64_t kDisabled = 0;

class PlanBuilder {
 public:
  PlanBuilder(const DeviceMap& map, const Snapshot& snapshot, uint16_t model)
      : model_(model),
        definition_(find_model(model)),
        location_(map.find(model)),
        decoded_(snapshot.find(model)) {}

  Status usable() const {
    if (!definition_ || !location_) return Status::failure(fmt::format("the device has no model {}", model_));
    if (!decoded_) return Status::failure(fmt::format("model {} could not be read", model_));
    return Status::success();
  }

  // The raw value of `point` written for the scaled `value` (× 10^-SF), rounded.
  Status scaled(const std::string& point, double value, const std::string& unit) {
    const PointDefinition* def = definition_->root.point(point);
    if (!def) return missing(point);
    int sf = def->scale_constant.value_or(0);
    if (!def->scale_factor.empty()) {
      const auto factor = decoded_->number(def->scale_factor);
      if (!factor)
        return Status::failure(
            fmt::format("model {} {} (the scale factor of {}) is not implemented: cannot write {}", model_,
                        def->scale_factor, point, point));
      sf = static_cast<int>(*factor);
    }
    const double raw = std::round(value / std::pow(10.0, sf));
    return raw_value(point, OJson(static_cast<int64_t>(raw)), fmt::format("{:g} {}", value, unit));
  }

  Status raw_value(const std::string& point, const OJson& raw, std::string shown = {}) {
    const PointDefinition* def = definition_->root.point(point);
    if (!def) return missing(point);
    const auto address = point_address(*definition_, *location_, point);
    if (!address || *address + def->size > location_->end())
      return Status::failure(fmt::format("model {} {} lies past the model's declared length {}", model_,
                                         point, location_->length));
    auto words = encode_point(*def, raw);
    if (!words) return Status::failure(fmt::format("model {} {}", model_, words.error()));
    plan_.writes.push_back(
        {model_, point, *address, std::move(words).value(), shown.empty() ? raw.dump() : shown});
    return Status::success();
  }

  ControlPlan finish() {
    std::string summary = fmt::format("model {}:", model_);
    for (size_t i = 0; i < plan_.writes.size(); ++i)
      summary += fmt::format("{} {}={}", i ? "," : "", plan_.writes[i].point, plan_.writes[i].shown);
    plan_.summary = summary;
    return std::move(plan_);
  }

  const DecodedModel& decoded() const { return *decoded_; }

 private:
  Status missing(const std::string& point) const {
    return Status::failure(fmt::format("model {} has no point {}", model_, point));
  }

  uint16_t model_;
  const ModelDefinition* definition_;
  const ModelLocation* location_;
  const DecodedModel* decoded_;
  ControlPlan plan_;
};

#define HEPEK_TRY(status)                                         \
  do {                                                            \
    if (const Status hepek_status_ = (status); !hepek_status_)    \
      return Result<ControlPlan>::failure(hepek_status_.error()); \
  } while (false)

}  // namespace

std::optional<uint32_t> point_address(const ModelDefinition& definition, const ModelLocation& location,
                                      std::string_view point) {
  uint32_t offset = 0;
  for (const auto& p : definition.root.points) {
    if (p.name == point) return location.address + offset;
    offset += p.size;
  }
  return std::nullopt;
}

std::optional<uint32_t> battery_expiry_limit(const DeviceMap& map) {
  if (map.find(124)) return 0xFFFF;
  if (map.find(704)) return 0xFFFFFFFFu;
  return std::nullopt;
}

std::optional<uint32_t> pv_expiry_limit(const DeviceMap& map) {
  if (map.find(123)) return 0xFFFF;
  if (map.find(704)) return 0xFFFFFFFFu;
  return std::nullopt;
}

std::optional<double> battery_rating_w(const Snapshot& snapshot) {
  if (const DecodedModel* basic = snapshot.find(124))
    if (const auto w = basic->number("WChaMax"); w && *w > 0) return w;
  if (const DecodedModel* bank = snapshot.find(802))
    if (const auto w = bank->number("WDisChaRteMax"); w && *w > 0) return w;
  return std::nullopt;
}

std::optional<double> pv_rating_w(const Snapshot& snapshot) {
  if (const DecodedModel* settings = snapshot.find(121))
    if (const auto w = settings->number("WMax"); w && *w > 0) return w;
  if (const DecodedModel* nameplate = snapshot.find(120))
    if (const auto w = nameplate->number("WRtg"); w && *w > 0) return w;
  if (const DecodedModel* capacity = snapshot.find(702))
    if (const auto w = capacity->number("WMaxRtg"); w && *w > 0) return w;
  return std::nullopt;
}

Result<ControlPlan> plan_battery_setpoint(const DeviceMap& map, const Snapshot& snapshot, double setpoint_w,
                                          uint32_t expires_s) {
  using R = Result<ControlPlan>;
  if (expires_s == 0) return R::failure("expires_s must be at least 1 s (0 would mean: never revert)");
  if (map.find(124)) {
    PlanBuilder plan(map, snapshot, 124);
    HEPEK_TRY(plan.usable());
    const auto base = plan.decoded().number("WChaMax");
    if (!base || *base <= 0)
      return R::failure(
          "model 124 WChaMax (the base of InWRte/OutWRte) is not implemented or 0: cannot turn watts "
          "into a rate");
    if (std::fabs(setpoint_w) > *base + 0.5)
      return R::failure(
          fmt::format("setpoint {:g} W is beyond the battery's WChaMax of {:g} W", setpoint_w, *base));
    if (expires_s > 0xFFFF)
      return R::failure(
          fmt::format("expires_s {} is beyond model 124's InOutWRte_RvrtTms (at most 65535 s)", expires_s));
    const double pct = setpoint_w / *base * 100.0;
    HEPEK_TRY(plan.scaled("OutWRte", pct, "%"));
    HEPEK_TRY(plan.scaled("InWRte", -pct, "%"));
    HEPEK_TRY(plan.raw_value("InOutWRte_RvrtTms", OJson(expires_s), fmt::format("{} s", expires_s)));
    HEPEK_TRY(plan.raw_value("StorCtl_Mod", OJson(3), "3 (CHARGE|DISCHARGE limits)"));
    return R::success(plan.finish());
  }
  if (map.find(704)) {
    PlanBuilder plan(map, snapshot, 704);
    HEPEK_TRY(plan.usable());
    HEPEK_TRY(plan.raw_value("WSetMod", OJson(1), "1 (WATTS)"));
    HEPEK_TRY(plan.scaled("WSet", setpoint_w, "W"));
    HEPEK_TRY(plan.scaled("WSetRvrt", 0, "W"));
    HEPEK_TRY(plan.raw_value("WSetEnaRvrt", OJson(kDisabled), "0 (DISABLED)"));
    HEPEK_TRY(plan.raw_value("WSetRvrtTms", OJson(expires_s), fmt::format("{} s", expires_s)));
    HEPEK_TRY(plan.raw_value("WSetEna", OJson(kEnabled), "1 (ENABLED)"));
    return R::success(plan.finish());
  }
  return R::failure("the device has no battery control (neither model 124 nor 704)");
}

Result<ControlPlan> plan_pv_limit(const DeviceMap& map, const Snapshot& snapshot, double limit_w,
                                  uint32_t expires_s) {
  using R = Result<ControlPlan>;
  if (expires_s == 0) return R::failure("expires_s must be at least 1 s (0 would mean: never revert)");
  if (limit_w < 0) return R::failure(fmt::format("limit_w {:g} W is negative", limit_w));
  const auto rating = pv_rating_w(snapshot);
  if (!rating)
    return R::failure(
        "the inverter reports no maximum power (121 WMax, 120 WRtg, 702 WMaxRtg): cannot turn watts "
        "into a percentage");
  const bool lift = limit_w >= *rating;
  const double pct = std::min(100.0, limit_w / *rating * 100.0);
  if (map.find(123)) {
    PlanBuilder plan(map, snapshot, 123);
    HEPEK_TRY(plan.usable());
    if (expires_s > 0xFFFF)
      return R::failure(
          fmt::format("expires_s {} is beyond model 123's WMaxLimPct_RvrtTms (at most 65535 s)", expires_s));
    if (lift) {
      HEPEK_TRY(plan.raw_value("WMaxLim_Ena", OJson(kDisabled), "0 (DISABLED)"));
      return R::success(plan.finish());
    }
    HEPEK_TRY(plan.scaled("WMaxLimPct", pct, "%"));
    HEPEK_TRY(plan.raw_value("WMaxLimPct_RvrtTms", OJson(expires_s), fmt::format("{} s", expires_s)));
    HEPEK_TRY(plan.raw_value("WMaxLim_Ena", OJson(kEnabled), "1 (ENABLED)"));
    return R::success(plan.finish());
  }
  if (map.find(704)) {
    PlanBuilder plan(map, snapshot, 704);
    HEPEK_TRY(plan.usable());
    if (lift) {
      HEPEK_TRY(plan.raw_value("WMaxLimPctEna", OJson(kDisabled), "0 (DISABLED)"));
      return R::success(plan.finish());
    }
    HEPEK_TRY(plan.scaled("WMaxLimPct", pct, "%"));
    HEPEK_TRY(plan.scaled("WMaxLimPctRvrt", 100, "%"));
    HEPEK_TRY(plan.raw_value("WMaxLimPctEnaRvrt", OJson(kDisabled), "0 (DISABLED)"));
    HEPEK_TRY(plan.raw_value("WMaxLimPctRvrtTms", OJson(expires_s), fmt::format("{} s", expires_s)));
    HEPEK_TRY(plan.raw_value("WMaxLimPctEna", OJson(kEnabled), "1 (ENABLED)"));
    return R::success(plan.finish());
  }
  return R::failure("the inverter has no curtailment control (neither model 123 nor 704)");
}

Status execute_plan(RegisterWriter& device, const ControlPlan& plan) {
  for (const PointWrite& write : plan.writes) {
    const ReadResult result = device.write(write.address, write.words);
    if (!result.ok())
      return Status::failure(
          fmt::format("model {} {} := {} refused: {}", write.model, write.point, write.shown, result.error));
  }
  for (const PointWrite& write : plan.writes) {
    const ReadResult back = device.read(write.address, static_cast<uint16_t>(write.words.size()));
    if (!back.ok())
      return Status::failure(fmt::format("model {} {}: written, but the read-back failed: {}", write.model,
                                         write.point, back.error));
    if (back.words != write.words) {
      std::string wrote, read;
      for (const uint16_t w : write.words) wrote += fmt::format("{:04X}", w);
      for (const uint16_t w : back.words) read += fmt::format("{:04X}", w);
      return Status::failure(
          fmt::format("{}: model {} {} at register {}: wrote {} (0x{}), read back 0x{}: the "
                      "device did not take the value",
                      device.describe(), write.model, write.point, write.address, write.shown, wrote, read));
    }
  }
  return Status::success();
}

}  // namespace hepek::sunspec
