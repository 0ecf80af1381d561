// Remora runtime: the vsock:CID:PORT transport (AF_VSOCK stream sockets), for guests in
// VMs that reach the host's API server over virtio-vsock (QEMU vhost-vsock, Cloud
// Hypervisor). The guest connects to vsock:2:PORT (CID 2 is the host); the server listens
// on vsock:ANY:PORT. Firecracker's hybrid vsock needs nothing here on the host: a guest's
// connection to port P arrives as a unix connection on `<uds_path>_P`, so the server
// listens on unix:<uds_path>_P (see docs/deployment.md).
#pragma once

#include <memory>
#include <string>

#include "remora_transport.h"

namespace remora {

// Connects to the vsock address with a timeout (milliseconds); null + error text when
// AF_VSOCK is unavailable, nobody listens, or the timeout passes.
std::unique_ptr<Stream> vsock_connect(const Address& a, int timeout_ms, std::string& error);

// A listening AF_VSOCK socket on a.vsock_cid (VMADDR_CID_ANY for vsock:ANY:PORT) and
// a.vsock_port; -1 + error text on failure.
int vsock_listen(const Address& a, std::string& error);

}  // namespace remora
