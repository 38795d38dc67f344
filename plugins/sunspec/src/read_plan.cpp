#include "read_plan.hpp"

#include <algorithm>

namespace hepek::sunspec {

std::vector<Block> plan_blocks(const std::vector<ModelLocation>& models) {
  std::vector<std::pair<uint32_t, uint32_t>> runs;  // [start, end)
  for (const auto& model : models) runs.emplace_back(model.address, std::min<uint32_t>(model.end(), 0x10000));
  std::sort(runs.begin(), runs.end());
  std::vector<std::pair<uint32_t, uint32_t>> merged;
  for (const auto& run : runs) {
    if (!merged.empty() && run.first <= merged.back().second)
      merged.back().second = std::max(merged.back().second, run.second);
    else
      merged.push_back(run);
  }
  std::vector<Block> blocks;
  for (const auto& [start, end] : merged)
    for (uint32_t at = start; at < end; at += kMaxReadRegisters)
      blocks.push_back({at, static_cast<uint16_t>(std::min<uint32_t>(kMaxReadRegisters, end - at))});
  return blocks;
}

bool ReadPlan::read_block(RegisterSource& source, const Block& block, RegisterImage& image,
                          PollOutcome& outcome, std::vector<Block>& good, std::vector<Block>& bad) {
  ++outcome.requests;
  const ReadResult result = source.read(block.address, block.count);
  if (result.ok() && result.words.size() == block.count) {
    image.put(block.address, result.words);
    outcome.registers += block.count;
    good.push_back(block);
    return true;
  }
  if (result.failure == ReadResult::Failure::link) {
    outcome.link_failed = true;
    outcome.error = result.error;
    return false;
  }
  if (outcome.faults.size() < 16)
    outcome.faults.push_back(result.ok() ? source.describe() + ": short answer" : result.error);
  if (block.count == 1) {
    image.mark_unreadable(block.address, 1);
    ++outcome.unreadable;
    if (!bad.empty() && bad.back().end() == block.address)
      ++bad.back().count;
    else
      bad.push_back(block);
    return true;
  }
  const uint16_t half = block.count / 2;
  if (!read_block(source, {block.address, half}, image, outcome, good, bad)) return false;
  return read_block(source, {block.address + half, static_cast<uint16_t>(block.count - half)}, image, outcome,
                    good, bad);
}

PollOutcome ReadPlan::execute(RegisterSource& source, RegisterImage& image) {
  PollOutcome outcome;
  if (!skipped_.empty() && ++polls_since_refine_ >= retry_every_) {
    blocks_ = original_;
    skipped_.clear();
    polls_since_refine_ = 0;
  }
  for (const Block& skip : skipped_) {
    image.mark_unreadable(skip.address, skip.count);
    outcome.unreadable += skip.count;
  }
  std::vector<Block> good, bad;
  bool refined = false;
  for (const Block& block : blocks_) {
    const size_t before = good.size();
    if (!read_block(source, block, image, outcome, good, bad)) return outcome;
    refined |= good.size() != before + 1 || good.back() != block;
  }
  if (refined) {
    // Readable neighbours go back together (the failure was the unreadable registers between others).
    blocks_.clear();
    for (const Block& block : good) {
      if (!blocks_.empty() && blocks_.back().end() == block.address &&
          blocks_.back().count + block.count <= kMaxReadRegisters)
        blocks_.back().count = static_cast<uint16_t>(blocks_.back().count + block.count);
      else
        blocks_.push_back(block);
    }
    skipped_.insert(skipped_.end(), bad.begin(), bad.end());
    polls_since_refine_ = 0;
  }
  return outcome;
}

}  // namespace hepek::sunspec
