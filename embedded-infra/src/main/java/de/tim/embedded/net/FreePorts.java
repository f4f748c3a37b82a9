package de.tim.embedded.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Distinct free TCP ports for tests that must know ports before the servers start (e.g. the stack,
 * where the homeserver needs its gateways' addresses). All sockets are held open until every port is
 * chosen, so the ports are distinct.
 */
public final class FreePorts {

    private FreePorts() {
    }

    public static List<Integer> allocate(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0);
                socket.setReuseAddress(true);
                sockets.add(socket);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            }
        }
    }
}
