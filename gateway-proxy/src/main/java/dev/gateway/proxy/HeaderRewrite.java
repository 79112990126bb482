package dev.gateway.proxy;

import dev.gateway.config.HeaderRules;
import dev.gateway.config.HeaderTemplate;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * A route's {@code request_headers} or {@code response_headers} compiled once per snapshot. Values
 * without variables are set as they are. Values with variables are filled in per request from
 * what the exchange already holds (no parsing, no regex, no splitting); every value is computed
 * before anything is removed or set, so {@code ${header.X}} reads the header as it arrived at this
 * step even when the same rules remove or replace it. A variable's value is made safe for a header
 * line first ({@link #fieldValue}): whatever a client puts in a header it copies, it cannot split
 * the message.
 */
final class HeaderRewrite {

    /** What variables are filled from: the exchange and, for responses, the attempt. */
    interface Values {
        String clientIp();

        String requestId();

        String host();

        String route();

        String target();

        String tlsClientSubject();

        /** The request header's first value, or null. */
        String header(String name);
    }

    static final HeaderRewrite NONE = new HeaderRewrite(HeaderRules.NONE);

    private final AsciiString[] remove;
    private final AsciiString[] names;
    private final HeaderTemplate.Part[][] parts;
    /** the value of each set rule when it has no variable, else null */
    private final String[] literals;
    private final boolean variables;
    private final boolean empty;

    HeaderRewrite(HeaderRules rules) {
        List<String> removed = rules.remove();
        this.remove = new AsciiString[removed.size()];
        for (int i = 0; i < remove.length; i++) {
            remove[i] = AsciiString.of(removed.get(i));
        }
        Map<String, HeaderTemplate> templates = rules.templates();
        this.names = new AsciiString[templates.size()];
        this.parts = new HeaderTemplate.Part[names.length][];
        this.literals = new String[names.length];
        int i = 0;
        boolean any = false;
        for (Map.Entry<String, HeaderTemplate> e : templates.entrySet()) {
            names[i] = AsciiString.of(e.getKey());
            HeaderTemplate template = e.getValue();
            parts[i] = template.parts().toArray(new HeaderTemplate.Part[0]);
            literals[i] = template.isLiteral() ? template.text() : null;
            any |= !template.isLiteral();
            i++;
        }
        this.variables = any;
        this.empty = rules.isEmpty();
    }

    boolean hasVariables() {
        return variables;
    }

    /** Applies the rules; {@code values} may be null when {@link #hasVariables()} is false. */
    void apply(HttpHeaders headers, Values values) {
        if (empty) {
            return;
        }
        String[] filled = variables ? fill(values) : literals;
        for (AsciiString name : remove) {
            headers.remove(name);
        }
        for (int i = 0; i < names.length; i++) {
            headers.set(names[i], filled[i]);
        }
    }

    private String[] fill(Values values) {
        String[] filled = new String[names.length];
        for (int i = 0; i < names.length; i++) {
            if (literals[i] != null) {
                filled[i] = literals[i];
                continue;
            }
            StringBuilder out = new StringBuilder(32);
            for (HeaderTemplate.Part part : parts[i]) {
                if (part instanceof HeaderTemplate.Literal) {
                    out.append(((HeaderTemplate.Literal) part).text());
                } else {
                    out.append(fieldValue(value((HeaderTemplate.Var) part, values)));
                }
            }
            filled[i] = out.toString();
        }
        return filled;
    }

    private static String value(HeaderTemplate.Var var, Values values) {
        switch (var.variable()) {
            case CLIENT_IP:
                return values.clientIp();
            case REQUEST_ID:
                return values.requestId();
            case HOST:
                return values.host();
            case ROUTE:
                return values.route();
            case TARGET:
                return values.target();
            case TLS_CLIENT_SUBJECT:
                return values.tlsClientSubject();
            default:
                return values.header(var.header());
        }
    }

    /**
     * A value safe for a header line (RFC 9110 §5.5): control characters (CR, LF, NUL and the
     * rest, HTAB excepted) are dropped, and characters beyond Latin-1, which Netty would write as
     * one truncated byte each (U+010A would become LF), are written as their UTF-8 bytes.
     */
    static String fieldValue(String raw) {
        if (raw == null) {
            return "";
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c > 0xff) {
                return clean(raw);
            }
        }
        return raw;
    }

    private static String clean(String raw) {
        StringBuilder out = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                continue;
            }
            if (c <= 0xff) {
                out.append(c);
                continue;
            }
            int end = Character.isHighSurrogate(c) && i + 1 < raw.length() ? i + 2 : i + 1;
            for (byte b : raw.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
                out.append((char) (b & 0xff));
            }
            i = end - 1;
        }
        return out.toString();
    }
}
