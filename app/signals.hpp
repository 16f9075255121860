#pragma once

namespace gw {

/// Blocks SIGINT and SIGTERM in this thread and the threads it starts
/// afterwards; call first thing in main.
void block_stop_signals();

/// Waits until SIGINT or SIGTERM arrives; returns the signal number.
int wait_for_stop_signal();

} // namespace gw
