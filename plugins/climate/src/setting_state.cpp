#include "setting_state.hpp"

#include <cmath>

namespace hepek::climate {

nlohmann::json Setting::to_json() const {
  nlohmann::json out = nlohmann::json::object();
  for (std::size_t i = 0; i < kFieldCount; ++i)
    if (values[i]) out[kFieldNames[i]] = *values[i];
  return out;
}

Setting Setting::from_json(const nlohmann::json& j) {
  Setting out;
  if (!j.is_object()) return out;
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const auto it = j.find(kFieldNames[i]);
    if (it == j.end()) continue;
    const bool numeric = i == static_cast<std::size_t>(Field::target_temperature);
    if (numeric ? it->is_number() : it->is_string()) out.values[i] = *it;
  }
  return out;
}

bool SettingState::same(const std::optional<nlohmann::json>& a, const std::optional<nlohmann::json>& b) {
  if (!a || !b) return !a && !b;
  if (a->is_number() && b->is_number())
    return std::fabs(a->get<double>() - b->get<double>()) < kTemperatureTolerance;
  return *a == *b;
}

Setting SettingState::effective() const {
  Setting out = user_;
  for (std::size_t i = 0; i < kFieldCount; ++i)
    if (override_.values[i]) out.values[i] = override_.values[i];
  return out;
}

FieldsToSend SettingState::end_override() {
  FieldsToSend give_back{};
  for (std::size_t i = 0; i < kFieldCount; ++i)
    give_back[i] = override_.values[i].has_value() && user_.values[i];
  override_ = {};
  override_until_ms_.reset();
  return give_back;
}

FieldsToSend SettingState::command(const Setting& fields, std::optional<double> expires_s,
                                   std::int64_t now_ms) {
  FieldsToSend to_send{};
  if (expires_s && *expires_s > 0) {
    for (std::size_t i = 0; i < kFieldCount; ++i)
      if (fields.values[i]) override_.values[i] = fields.values[i];
    override_until_ms_ = now_ms + static_cast<std::int64_t>(std::llround(*expires_s * 1000));
  } else {
    to_send = end_override();
    for (std::size_t i = 0; i < kFieldCount; ++i)
      if (fields.values[i]) user_.values[i] = fields.values[i];
  }
  for (std::size_t i = 0; i < kFieldCount; ++i) to_send[i] = to_send[i] || fields.values[i].has_value();
  return to_send;
}

FieldsToSend SettingState::expire(std::int64_t now_ms) {
  if (!override_until_ms_ || now_ms < *override_until_ms_) return {};
  return end_override();
}

ReportKind SettingState::report(Field field, const nlohmann::json& value, std::int64_t now_ms,
                                FieldsToSend& to_send) {
  to_send = {};
  const auto index = static_cast<std::size_t>(field);
  auto& pending = sent_ms_[index];
  if (same(effective().values[index], value)) {
    pending.reset();  // the unit has our value: from now on a different report is a change made on it
    return ReportKind::echo;
  }
  if (pending && now_ms - *pending < echo_grace_ms_) return ReportKind::stale;
  pending.reset();
  to_send = end_override();
  to_send[index] = false;  // the unit has it already
  user_.values[index] = value;
  return ReportKind::user_change;
}

}  // namespace hepek::climate
