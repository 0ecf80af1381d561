// Remora runtime: the virtio-serial:NAME transport, for QEMU guests without vsock.
//
// A virtio-serial port is one byte stream that one guest process may open, so guest
// processes do not open it: remora-guestd (started by the VM's init) holds the port and
// relays the unix connections guest processes make to it, one channel each (remora_mux.h).
//
// Guest: `virtio-serial:NAME` connects to remora-guestd's socket for port NAME,
//        $REMORA_GUESTD_DIR/NAME.sock (default /run/remora/NAME.sock).
// Host:  `--listen virtio-serial:PATH` listens on the unix socket PATH that QEMU's chardev
//        connects to (`-chardev socket,path=PATH,reconnect=1`): the server is the listener
//        so one server serves every VM, and QEMU reconnects to a restarted server. Each VM's
//        connection is served by a link process that demultiplexes its channels; each
//        channel reaches the server's accept loop as a connection of its own (a socketpair
//        end passed over a control socket), so every guest process gets its own worker, as
//        over unix: or tcp:.
#pragma once

#include <memory>
#include <string>

#include "remora_transport.h"

namespace remora {

// The unix socket remora-guestd listens on for port `name`.
std::string guestd_socket_path(const std::string& name);

// Guest: connects to remora-guestd for the port a.path (a.k.a. NAME) within timeout_ms.
std::unique_ptr<Stream> virtio_serial_connect(const Address& a, int timeout_ms, std::string& error);

// Server: listens on the unix socket a.path for QEMU chardev connections (replacing a
// stale socket like unix: does) and starts the acceptor process; returns the control
// socket the server's accept loop polls, or -1 + error text.
int virtio_serial_listen(const Address& a, std::string& error);

// Server: the next guest process's connection from the control socket; null when none
// (the acceptor is gone: a message says so once).
std::unique_ptr<Stream> virtio_serial_accept(int control_fd);

}  // namespace remora
