#pragma once

namespace gw {

/// Raises the soft limit of open files to the hard limit (systemd's default
/// soft limit of 1,024 is far below what a gateway with many clients and
/// nodes needs; the hard limit is the operator's word). Logs the result.
void raise_open_files_limit();

} // namespace gw
