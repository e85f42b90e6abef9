package com.soportemax.shared.web;

import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.NioEndpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

/**
 * Tomcat's HTTP/1.1 NIO connector with a cap on open connections per client address, which Tomcat lacks (it
 * counts connections only in total). A connection over its address's cap is closed as it is accepted, before a
 * byte of it is read, so a slow-header client (slowloris) holds at most that many of the server's connections.
 * Public with a public constructor because Tomcat creates its protocol by class name.
 */
public class ConnectionsPerAddressProtocol extends Http11NioProtocol {

    public ConnectionsPerAddressProtocol() {
        super(new CappedEndpoint());
    }

    /** At most {@code limit} open connections per address; addresses {@code exempt} accepts are not counted. */
    void limit(int limit, Predicate<String> exempt) {
        ((CappedEndpoint) getEndpoint()).limit(limit, exempt);
    }

    /** Connections closed at accept because their address held its share. */
    long refused() {
        return ((CappedEndpoint) getEndpoint()).refused.sum();
    }

    private static final class CappedEndpoint extends NioEndpoint {

        /** Every so many accepts, addresses whose connections all closed are forgotten. */
        private static final int SWEEP_EVERY = 4096;

        private final ConcurrentMap<InetAddress, Set<SocketChannel>> open = new ConcurrentHashMap<>();
        private final AtomicLong accepted = new AtomicLong();
        private final LongAdder refused = new LongAdder();
        private volatile int limit = Integer.MAX_VALUE;
        private volatile Predicate<String> exempt = address -> true;

        void limit(int limit, Predicate<String> exempt) {
            this.limit = limit;
            this.exempt = exempt;
        }

        @Override
        protected boolean setSocketOptions(SocketChannel socket) {
            InetAddress address = remoteAddress(socket);
            if (address != null && !exempt.test(address.getHostAddress()) && !admit(address, socket)) {
                refused.increment();
                // Closes it and gives back its place in the total; the acceptor's own clean-up after "false"
                // only closes sockets that got as far as a wrapper.
                destroySocket(socket);
                return false;
            }
            return super.setSocketOptions(socket);
        }

        private boolean admit(InetAddress address, SocketChannel socket) {
            if (accepted.incrementAndGet() % SWEEP_EVERY == 0) {
                open.keySet().forEach(key -> open.computeIfPresent(key, (k, channels) -> prune(channels)));
            }
            boolean[] admitted = new boolean[1];
            open.compute(address, (key, channels) -> {
                Set<SocketChannel> live = channels == null ? new HashSet<>() : channels;
                // A connection Tomcat closed is gone from the count at the next accept from its address.
                live.removeIf(channel -> !channel.isOpen());
                if (live.size() < limit) {
                    live.add(socket);
                    admitted[0] = true;
                }
                return live.isEmpty() ? null : live;
            });
            return admitted[0];
        }

        private static Set<SocketChannel> prune(Set<SocketChannel> channels) {
            channels.removeIf(channel -> !channel.isOpen());
            return channels.isEmpty() ? null : channels;
        }

        private static InetAddress remoteAddress(SocketChannel socket) {
            try {
                return socket.getRemoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
            } catch (IOException e) {
                return null; // already gone; Tomcat's own handling closes it
            }
        }
    }
}
