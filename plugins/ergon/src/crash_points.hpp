// Test-only fault injection for the crash test: with HEPEK_ERGON_CRASH=<point>[@<n>] in the environment the
// process kills itself with SIGKILL (no cleanup, like a power cut) the n-th time (default 1) it reaches
// <point>. Without the variable crash_point() does nothing. Points: member.before_store, member.after_store,
// member.after_send, operator.before_store, operator.after_store, operator.after_ack.
#pragma once

#include <string_view>

namespace hepek::ergon {

void crash_point(std::string_view name);

}  // namespace hepek::ergon
