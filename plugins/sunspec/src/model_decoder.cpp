#include "model_decoder.hpp"

#include <cmath>

#include <fmt/format.h>

#include "point_codec.hpp"

namespace hepek::sunspec {
namespace {

using Json = nlohmann::ordered_json;

// |SF| beyond this is garbage (SunSpec uses -10..10); such a value is null rather than 10^32767.
constexpr int kMaxScaleFactor = 20;
// No group instance list grows past this, whatever a count register says.
constexpr uint32_t kMaxInstances = 4096;

struct Scope {
  const GroupDefinition* definition;
  const std::vector<Json>* raw;  // the group's raw (unscaled) values, by point index
  const Json* find(const std::string& name) const {
    for (size_t i = 0; i < definition->points.size(); ++i)
      if (definition->points[i].name == name) return &(*raw)[i];
    return nullptr;
  }
};

// Appends without the duplicate search of ordered_json's operator[] (point names in a group are unique).
void append(Json& object, const std::string& key, Json value) {
  object.get_ref<Json::object_t&>().emplace_back(key, std::move(value));
}

double power_of_ten(int exponent) {
  static const double kPowers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9, 1e10,
                                   1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20};
  return kPowers[exponent];
}

class Decoder {
 public:
  Decoder(const ModelLocation& location, const RegisterImage& registers, DecodedModel& out)
      : location_(location), registers_(registers), out_(out) {}

  Json group(const GroupDefinition& definition, uint32_t& offset, std::vector<Scope>& scopes) {
    std::vector<Json> raw(definition.points.size());
    Json values = Json::object();
    Json symbols = Json::object();
    values.get_ref<Json::object_t&>().reserve(definition.points.size());
    // Raw values first: a scale factor usually follows the points that use it.
    for (size_t i = 0; i < definition.points.size(); ++i) {
      const PointDefinition& point = definition.points[i];
      decode_raw(point, offset, raw[i]);
      offset += point.size;
    }
    scopes.push_back({&definition, &raw});
    for (size_t i = 0; i < definition.points.size(); ++i) {
      const PointDefinition& point = definition.points[i];
      Json value = raw[i].is_null() ? Json(nullptr) : scaled(point, raw[i], scopes);
      if (!value.is_null()) {
        ++out_.points_decoded;
        add_symbols(point, value, symbols);
      }
      append(values, point.name, std::move(value));
    }
    Json groups = Json::object();
    for (const GroupDefinition& nested : definition.groups) {
      if (nested.repeat == GroupDefinition::Repeat::once) {
        path_.push_back(nested.name);
        groups[nested.name] = group(nested, offset, scopes);
        path_.pop_back();
        continue;
      }
      const uint32_t count = instances(nested, offset, scopes);
      Json list = Json::array();
      for (uint32_t k = 0; k < count; ++k) {
        path_.push_back(fmt::format("{}[{}]", nested.name, k));
        list.push_back(group(nested, offset, scopes));
        path_.pop_back();
      }
      groups[nested.name] = std::move(list);
    }
    scopes.pop_back();
    Json result{{"points", std::move(values)}};
    if (!symbols.empty()) result["symbols"] = std::move(symbols);
    if (!groups.empty()) result["groups"] = std::move(groups);
    return result;
  }

  void finish() {
    flush_unreadable();
    if (beyond_length_ > 0)
      out_.notes.push_back(fmt::format(
          "model {} at {}: declared length {} is shorter than its definition: {} point(s) past it are null",
          location_.id, location_.address, location_.length, beyond_length_));
  }

 private:
  // Stores the raw value of `point` at model offset `offset` (from the ID register); false when the point has
  // no value (beyond the declared length, unreadable, or invalid).
  bool decode_raw(const PointDefinition& point, uint32_t offset, Json& raw) {
    raw = nullptr;
    const uint32_t address = location_.address + offset;
    if (offset + point.size > 2u + location_.length) {
      ++beyond_length_;
      return false;
    }
    if (!registers_.readable(address, point.size)) {
      ++out_.points_unreadable;
      std::string path;
      for (const auto& segment : path_) path += segment + ".";
      out_.unreadable_points.push_back(path + point.name);
      note_unreadable(address, point.size, point.name);
      return false;
    }
    words_.resize(point.size);
    for (uint16_t i = 0; i < point.size; ++i) words_[i] = registers_.at(address + i);
    PointValue value = decode_point(point, words_);
    if (!value.error.empty())
      out_.notes.push_back(fmt::format("model {} register {}: {}", location_.id, address, value.error));
    raw = std::move(value.value);
    return !raw.is_null();
  }

  Json scaled(const PointDefinition& point, const Json& raw, const std::vector<Scope>& scopes) {
    if (!raw.is_number() || (point.scale_factor.empty() && !point.scale_constant)) return raw;
    int sf = point.scale_constant.value_or(0);
    if (!point.scale_constant) {
      const Json* found = nullptr;
      for (auto it = scopes.rbegin(); it != scopes.rend() && !found; ++it)
        found = it->find(point.scale_factor);
      if (!found) {
        note_once(fmt::format("model {}: point {} names scale factor {}, which the definition lacks",
                              location_.id, point.name, point.scale_factor));
        return raw;
      }
      if (!found->is_number_integer()) return nullptr;  // the SF is not implemented or unreadable
      sf = found->get<int>();
    }
    if (sf == 0) return raw;
    if (sf < -kMaxScaleFactor || sf > kMaxScaleFactor) {
      note_once(fmt::format("model {}: scale factor {} = {} is out of range; {} is null", location_.id,
                            point.scale_factor, sf, point.name));
      return nullptr;
    }
    const double value = raw.get<double>();
    return sf > 0 ? value * power_of_ten(sf) : value / power_of_ten(-sf);
  }

  static void add_symbols(const PointDefinition& point, const Json& value, Json& symbols) {
    if (point.symbols.empty() || !value.is_number_integer()) return;
    const auto number = value.get<int64_t>();
    const bool bitfield = point.type == PointType::bitfield16 || point.type == PointType::bitfield32;
    if (!bitfield) {
      for (const Symbol& symbol : point.symbols)
        if (symbol.value == number) symbols[point.name] = symbol.name;
      return;
    }
    Json set = Json::array();
    for (const Symbol& symbol : point.symbols)
      if (symbol.value >= 0 && symbol.value < 64 && ((static_cast<uint64_t>(number) >> symbol.value) & 1))
        set.push_back(symbol.name);
    symbols[point.name] = std::move(set);
  }

  uint32_t instances(const GroupDefinition& group, uint32_t offset, const std::vector<Scope>& scopes) {
    const uint32_t size = instance_size(group);
    const uint32_t end = 2u + location_.length;
    const uint32_t room = offset < end ? end - offset : 0;
    uint32_t count = 0;
    if (group.repeat == GroupDefinition::Repeat::constant) {
      count = group.constant_count;
    } else if (group.repeat == GroupDefinition::Repeat::fill) {
      if (size == 0) return 0;
      count = room / size;
      if (room % size != 0)
        out_.notes.push_back(
            fmt::format("model {}: {} registers left for repeating group {} of {} registers each: {} "
                        "instance(s), {} left over",
                        location_.id, room, group.name, size, count, room % size));
    } else {
      const Json* found = nullptr;
      for (auto it = scopes.rbegin(); it != scopes.rend() && !found; ++it)
        found = it->find(group.count_point);
      if (!found || !found->is_number_unsigned()) {
        out_.notes.push_back(
            fmt::format("model {}: count point {} of group {} has no value: no instances decoded",
                        location_.id, group.count_point, group.name));
        return 0;
      }
      count = static_cast<uint32_t>(std::min<uint64_t>(found->get<uint64_t>(), kMaxInstances));
    }
    // Instances that would start past the declared length are dropped (a garbage count of 65535 must not
    // produce 65535 objects of nulls); those that start inside it decode what fits.
    const uint32_t fitting = size == 0 ? count : (room + size - 1) / size;
    if (count > fitting) {
      out_.notes.push_back(
          fmt::format("model {}: group {} counts {} instance(s), the declared length holds {}", location_.id,
                      group.name, count, fitting));
      count = fitting;
    }
    return std::min(count, kMaxInstances);
  }

  // The registers of one instance of `group` at its definition's fixed sizes (nested counted groups: none).
  static uint32_t instance_size(const GroupDefinition& group) {
    uint32_t total = group.points_registers();
    for (const auto& nested : group.groups)
      if (nested.repeat == GroupDefinition::Repeat::once)
        total += instance_size(nested);
      else if (nested.repeat == GroupDefinition::Repeat::constant)
        total += nested.constant_count * instance_size(nested);
    return total;
  }

  void note_unreadable(uint32_t address, uint32_t count, const std::string& point) {
    if (run_points_.empty() || address > run_end_) {
      flush_unreadable();
      run_start_ = address;
    }
    run_end_ = std::max(run_end_, address + count);
    run_points_.push_back(point);
  }

  void flush_unreadable() {
    if (run_points_.empty()) return;
    std::string names;
    for (size_t i = 0; i < run_points_.size() && i < 8; ++i) names += (i ? ", " : "") + run_points_[i];
    if (run_points_.size() > 8) names += fmt::format(" and {} more", run_points_.size() - 8);
    out_.notes.push_back(fmt::format("model {}: registers {}-{} unreadable: {} null", location_.id,
                                     run_start_, run_end_ - 1, names));
    run_points_.clear();
  }

  void note_once(std::string text) {
    for (const auto& note : out_.notes)
      if (note == text) return;
    out_.notes.push_back(std::move(text));
  }

  const ModelLocation& location_;
  const RegisterImage& registers_;
  DecodedModel& out_;
  std::vector<uint16_t> words_;
  std::vector<std::string> path_;  // the group instances around the point being decoded
  uint32_t beyond_length_ = 0;
  uint32_t run_start_ = 0, run_end_ = 0;
  std::vector<std::string> run_points_;
};

}  // namespace

std::optional<double> number_of(const nlohmann::ordered_json& group, std::string_view point) {
  if (!group.is_object()) return std::nullopt;
  const auto points = group.find("points");
  if (points == group.end()) return std::nullopt;
  const auto it = points->find(point);
  if (it == points->end() || !it->is_number()) return std::nullopt;
  return it->get<double>();
}

std::optional<double> DecodedModel::number(std::string_view point) const {
  return number_of(group, point);
}

nlohmann::ordered_json DecodedModel::to_json() const {
  Json out{{"id", location.id},
           {"name", known() ? Json(name) : Json(nullptr)},
           {"address", location.address},
           {"length", location.length}};
  if (known()) {
    for (const auto& [key, value] : group.items()) out[key] = value;
  }
  if (!notes.empty()) out["notes"] = notes;
  return out;
}

DecodedModel decode_model(const ModelDefinition& definition, const ModelLocation& location,
                          const RegisterImage& registers) {
  DecodedModel out;
  out.location = location;
  out.name = definition.root.name;
  Decoder decoder(location, registers, out);
  uint32_t offset = 0;
  std::vector<Scope> scopes;
  out.group = decoder.group(definition.root, offset, scopes);
  decoder.finish();
  // ID and L are the header: report what the device says, not what the definition's registers imply.
  out.group["points"]["ID"] = location.id;
  out.group["points"]["L"] = location.length;
  if (offset < 2u + location.length && !definition.has_variable_groups())
    out.notes.push_back(fmt::format(
        "model {} at {}: declared length {} is longer than its definition ({}): "
        "the last {} register(s) are not decoded",
        location.id, location.address, location.length, offset - 2, 2u + location.length - offset));
  else if (offset < 2u + location.length)
    out.notes.push_back(fmt::format("model {} at {}: {} register(s) after its last group are not decoded",
                                    location.id, location.address, 2u + location.length - offset));
  return out;
}

DecodedModel unknown_model(const ModelLocation& location) {
  DecodedModel out;
  out.location = location;
  out.notes.push_back(fmt::format("model {} at {} ({} registers): no definition, skipped by its length",
                                  location.id, location.address, location.length));
  return out;
}

}  // namespace hepek::sunspec
