package dev.tally.server.config;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The proxies whose {@code X-Forwarded-For} header is believed: single addresses or CIDR ranges, IPv4 or
 * IPv6. From anyone else the header is ignored, since any client can send it. Immutable and thread-safe.
 */
public final class TrustedProxies {
    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** Parses each entry ({@code 10.0.0.1}, {@code 10.0.0.0/8}, {@code ::1}, {@code fd00::/8}). */
    public static TrustedProxies of(List<String> entries) {
        List<Range> ranges = new ArrayList<>();
        entries.forEach(e -> ranges.add(parse(e)));
        return new TrustedProxies(ranges);
    }

    /** Validates one entry; throws {@link ConfigException} naming it when it is not an address or range. */
    public static void requireValid(String entry) {
        parse(entry);
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** Whether the literal address is one of the trusted proxies; a non-literal is never trusted. */
    public boolean trusts(String address) {
        Optional<byte[]> bytes = literal(address);
        return bytes.isPresent() && ranges.stream().anyMatch(r -> r.contains(bytes.get()));
    }

    /**
     * The client's address: the peer, unless the peer is a trusted proxy, in which case the right-most
     * address of {@code X-Forwarded-For} that is not itself a trusted proxy (the left part of the header is
     * whatever the client chose to send, so it is not believed).
     */
    public String clientAddress(String peer, Optional<String> forwardedFor) {
        if (forwardedFor.isEmpty() || !trusts(peer)) {
            return peer;
        }
        String[] hops = forwardedFor.get().split(",");
        String candidate = peer;
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].strip();
            if (literal(hop).isEmpty()) {
                break; // a malformed hop: stop at the last address we could check
            }
            candidate = hop;
            if (!trusts(hop)) {
                break;
            }
        }
        return candidate;
    }

    private static Range parse(String entry) {
        String text = entry == null ? "" : entry.strip();
        int slash = text.indexOf('/');
        String address = slash >= 0 ? text.substring(0, slash) : text;
        byte[] bytes = literal(address)
                .orElseThrow(() -> new ConfigException("trusted_proxies: not an IP address or CIDR range: " + entry));
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new ConfigException("trusted_proxies: bad prefix length in " + entry);
            }
        }
        return new Range(bytes, prefix);
    }

    /** The bytes of an IP literal, without any DNS lookup (a host name is not a literal). */
    static Optional<byte[]> literal(String text) {
        if (text == null || text.isEmpty() || text.length() > 45) {
            return Optional.empty();
        }
        String s = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        boolean v4 = s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        boolean v6 = s.contains(":") && s.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            return Optional.empty();
        }
        if (v4) {
            // Out-of-range octets would make InetAddress treat the text as a host name and ask DNS.
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    return Optional.empty();
                }
            }
        }
        try {
            return Optional.of(InetAddress.getByName(s).getAddress());
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** A CIDR range; an IPv4 address never matches an IPv6 range and the other way round. */
    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = network.length * 8;
            BigInteger mask = BigInteger.ONE
                    .shiftLeft(bits)
                    .subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
