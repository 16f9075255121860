#pragma once

namespace gw {

/// Blocks SIGINT, SIGTERM and SIGHUP in this thread and the threads it
/// starts afterwards (they are taken with sigwait); call first thing in
/// main.
void block_stop_signals();

/// Waits until SIGINT or SIGTERM arrives, or `seconds` pass when positive;
/// returns the signal number, or 0 on timeout. A SIGHUP stays pending.
int wait_for_stop_signal(int seconds = 0);

/// Waits until SIGINT, SIGTERM or SIGHUP arrives; returns its number.
int wait_for_stop_or_reload();

} // namespace gw
