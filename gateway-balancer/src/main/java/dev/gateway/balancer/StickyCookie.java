package dev.gateway.balancer;

import dev.gateway.balancer.targets.Target;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A pool's {@code sticky_cookie}: which cookie value names which target, and the {@code Set-Cookie}
 * value that pins a client to each.
 *
 * <p>A target's value is a hash of its URL (and its position among targets with the same URL), so
 * a client stays pinned across restarts, reloads and reordered target lists, and the cookie does
 * not reveal backend addresses. Like HAProxy's {@code cookie insert} it is a session cookie for the
 * whole site; {@code HttpOnly} because scripts have no business with it.
 */
final class StickyCookie {

    private final String name;
    private final String[] values;
    private final String[] setCookies;
    private final Map<String, Integer> indexByValue = new HashMap<>();

    StickyCookie(String name, List<Target> targets) {
        this.name = name;
        this.values = new String[targets.size()];
        this.setCookies = new String[targets.size()];
        Map<String, Integer> seenUrls = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            String url = targets.get(i).url();
            int occurrence = seenUrls.merge(url, 1, Integer::sum);
            values[i] = hash(occurrence == 1 ? url : url + "#" + occurrence);
            setCookies[i] = name + "=" + values[i] + "; Path=/; HttpOnly; SameSite=Lax";
            indexByValue.put(values[i], i);
        }
    }

    String name() {
        return name;
    }

    /** The target a cookie value pins to, or -1 for a value naming no target of this pool. */
    int indexOf(String value) {
        Integer index = value == null ? null : indexByValue.get(value);
        return index == null ? -1 : index;
    }

    /** The cookie value naming a target. */
    String value(int index) {
        return values[index];
    }

    /** The {@code Set-Cookie} header value pinning a client to a target. */
    String setCookie(int index) {
        return setCookies[index];
    }

    private static String hash(String url) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
