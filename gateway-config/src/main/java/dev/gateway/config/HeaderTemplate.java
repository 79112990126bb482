package dev.gateway.config;

import java.util.List;

/**
 * A header value of {@code request_headers.set} or {@code response_headers.set}, parsed once at
 * load: literal text and request variables ({@code ${client_ip}}, {@code ${header.X-Id}}, ...)
 * filled in per request by the proxy, without parsing anything then.
 *
 * @param parts literal text and variables, in order; adjacent literals merged
 */
public record HeaderTemplate(List<Part> parts) {

    /** What a variable stands for. */
    public enum Variable {
        /** the client's address, as in the access log */
        CLIENT_IP("client_ip"),
        /** the request id ({@code X-Request-Id}) */
        REQUEST_ID("request_id"),
        /** the request's {@code Host}, as the client sent it */
        HOST("host"),
        /** the route's name */
        ROUTE("route"),
        /** the URL of the target the response came from (response_headers only) */
        TARGET("target"),
        /** the subject of the client's TLS certificate, empty without one */
        TLS_CLIENT_SUBJECT("tls_client_subject"),
        /** a request header, {@code ${header.NAME}} */
        HEADER("header.");

        private final String name;

        Variable(String name) {
            this.name = name;
        }

        /** As written between {@code ${} and {@code }}; {@code header.} is followed by the header name. */
        public String written() {
            return name;
        }
    }

    /** Literal text or a variable. */
    public sealed interface Part {
    }

    public record Literal(String text) implements Part {
    }

    /** @param header the header name of {@link Variable#HEADER}, else null */
    public record Var(Variable variable, String header) implements Part {
    }

    public HeaderTemplate {
        parts = List.copyOf(parts);
    }

    /** A value without variables. */
    public static HeaderTemplate literal(String text) {
        return new HeaderTemplate(List.of(new Literal(text)));
    }

    /** True when no part is a variable: the value is the same for every request. */
    public boolean isLiteral() {
        for (Part part : parts) {
            if (part instanceof Var) {
                return false;
            }
        }
        return true;
    }

    /** The value as it could be written in the file ({@code $} of literal text not escaped). */
    public String text() {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part instanceof Literal) {
                out.append(((Literal) part).text());
            } else {
                Var v = (Var) part;
                out.append("${").append(v.variable().written()).append(v.header() == null ? "" : v.header()).append('}');
            }
        }
        return out.toString();
    }
}
