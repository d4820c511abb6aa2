package cn.kameng.refunddesk.sandbox;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key the sandbox gateway signs its notifications with. None ships: without
 * {@code dispute.sandbox.gateway.notification-secret} a random one is made at every start (logged that
 * it was, never its value), so nobody outside can sign a notice that marks a refund settled. A secret
 * that was ever published (the one the demo used to ship) is refused unless the service listens on
 * loopback only ({@code server.address=127.0.0.1}).
 */
final class NotificationSecret {

    private static final Logger log = LoggerFactory.getLogger(NotificationSecret.class);

    /** Secrets that were committed to the repository at some point: anyone can read them. */
    static final Set<String> PUBLISHED = Set.of("sandbox-demo-notification-secret");

    private NotificationSecret() {
    }

    static byte[] resolve(String configured, String serverAddress) {
        if (configured == null || configured.isBlank()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            log.info("dispute.sandbox.gateway.notification-secret is not set: generated a random one for this run "
                    + "(not logged); sandbox notifications signed before a restart no longer verify");
            return HexFormat.of().formatHex(random).getBytes(StandardCharsets.UTF_8);
        }
        if (configured.length() < 16) {
            throw new IllegalStateException("dispute.sandbox.gateway.notification-secret must be at least 16 characters");
        }
        if (PUBLISHED.contains(configured) && !loopbackOnly(serverAddress)) {
            throw new IllegalStateException("dispute.sandbox.gateway.notification-secret is a published value: anyone "
                    + "could sign refund notifications with it. Leave it unset (a random one is generated) or set "
                    + "server.address=127.0.0.1");
        }
        return configured.getBytes(StandardCharsets.UTF_8);
    }

    static boolean loopbackOnly(String serverAddress) {
        if (serverAddress == null || serverAddress.isBlank()) {
            return false; // every interface
        }
        try {
            return InetAddress.getByName(serverAddress.trim()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
