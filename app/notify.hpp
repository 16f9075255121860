#pragma once

#include <string>

namespace gw {

/// Tells the service manager about the service's state (systemd's notify
/// protocol: one datagram to the socket named by $NOTIFY_SOCKET, such as
/// "READY=1" or "RELOADING=1"). Does nothing when the variable is unset
/// (not started by systemd with Type=notify); returns false when it is set
/// and the message could not be sent.
bool notify_service_manager(const std::string& state);

} // namespace gw
