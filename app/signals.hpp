#pragma once

namespace gw {

/// Blocks SIGINT and SIGTERM in this thread and the threads it starts
/// afterwards; call first thing in main.
void block_stop_signals();

/// Waits until SIGINT or SIGTERM arrives, or `seconds` pass when positive;
/// returns the signal number, or 0 on timeout.
int wait_for_stop_signal(int seconds = 0);

} // namespace gw
