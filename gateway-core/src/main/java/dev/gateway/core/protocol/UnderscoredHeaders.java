package dev.gateway.core.protocol;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drops request headers whose names contain '_', as nginx does with
 * {@code underscores_in_headers off}: CGI-style backends (WSGI, Rack, PHP) read {@code X_Forwarded_For}
 * or {@code Transfer_Encoding} as the dash form, so such a header could pass for one the gateway
 * has checked or set. Runs before anything reads the headers.
 */
public final class UnderscoredHeaders {

    private static final Logger log = LoggerFactory.getLogger(UnderscoredHeaders.class);

    private UnderscoredHeaders() {
    }

    public static void drop(HttpHeaders headers, String clientIp) {
        List<CharSequence> dropped = null;
        for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
            CharSequence name = it.next().getKey();
            if (contains(name, '_')) {
                if (dropped == null) {
                    dropped = new ArrayList<>(2);
                }
                dropped.add(name);
            }
        }
        if (dropped == null) {
            return;
        }
        for (CharSequence name : dropped) {
            headers.remove(name);
        }
        log.debug("dropped request headers named with '_' from {}: {}", clientIp, dropped);
    }

    private static boolean contains(CharSequence s, char c) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                return true;
            }
        }
        return false;
    }
}
