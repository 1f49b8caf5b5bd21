package dev.tally.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the server that, once {@link #armed() armed}, lets the next request through and then
 * drops the client's connection just as the server's answer starts: the server did the work, the client never
 * hears of it (what a dropped connection or a timeout looks like to a game server).
 */
final class KillingProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger kills = new AtomicInteger();

    KillingProxy(int target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The next answer is dropped. */
    KillingProxy armed() {
        armed.set(true);
        return this;
    }

    /** How many answers were dropped. */
    int kills() {
        return kills.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                Thread.ofVirtual().start(() -> pump(client, server, false));
                Thread.ofVirtual().start(() -> pump(server, client, true));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean answers) {
        byte[] buffer = new byte[8192];
        try (from;
                to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (answers && armed.compareAndSet(true, false)) {
                    kills.incrementAndGet();
                    to.setSoLinger(true, 0); // a reset, as when the network drops
                    return;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // The other side closed: the closing of both sockets ends the other pump.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
