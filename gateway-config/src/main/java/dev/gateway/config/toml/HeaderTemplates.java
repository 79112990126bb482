package dev.gateway.config.toml;

import dev.gateway.config.HeaderTemplate;
import dev.gateway.config.HeaderTemplate.Variable;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Parses a header value of {@code request_headers.set} / {@code response_headers.set} into a
 * {@link HeaderTemplate}. The rule that lets request variables and environment variables share the
 * {@code ${...}} syntax: the lower-case names of {@link Variable} ({@code ${client_ip}},
 * {@code ${header.NAME}}, ...) are request variables, filled in per request; every other
 * {@code ${NAME}} is an environment variable, substituted once at load; {@code $${} is a literal
 * {@code ${}.
 */
final class HeaderTemplates {

    private static final String HEADER_PREFIX = Variable.HEADER.written();

    private HeaderTemplates() {
    }

    /**
     * @param allowed the variables this side knows ({@code target} only exists for responses)
     */
    static HeaderTemplate parse(String raw, Map<String, String> env, Set<Variable> allowed) {
        List<HeaderTemplate.Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        try {
            EnvSubstitution.scan(raw, env, HeaderTemplates::isRequestVariable, new EnvSubstitution.Sink() {
                @Override
                public void text(String text) {
                    literal.append(text);
                }

                @Override
                public void variable(String expression) {
                    HeaderTemplate.Var var = HeaderTemplates.variable(expression, allowed);
                    if (literal.length() > 0) {
                        parts.add(new HeaderTemplate.Literal(literal.toString()));
                        literal.setLength(0);
                    }
                    parts.add(var);
                }
            });
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + hint(raw));
        }
        if (literal.length() > 0 || parts.isEmpty()) {
            parts.add(new HeaderTemplate.Literal(literal.toString()));
        }
        return new HeaderTemplate(parts);
    }

    static boolean isRequestVariable(String expression) {
        if (expression.startsWith(HEADER_PREFIX)) {
            return true;
        }
        for (Variable v : Variable.values()) {
            if (v != Variable.HEADER && v.written().equals(expression)) {
                return true;
            }
        }
        return false;
    }

    private static HeaderTemplate.Var variable(String expression, Set<Variable> allowed) {
        if (expression.startsWith(HEADER_PREFIX)) {
            String name = expression.substring(HEADER_PREFIX.length());
            if (!HttpSyntax.isToken(name)) {
                throw new IllegalArgumentException("'${" + expression + "}': '" + name + "' is not a header name "
                        + "(expected e.g. ${header.X-Request-Id})");
            }
            return new HeaderTemplate.Var(Variable.HEADER, name);
        }
        Variable v = Variable.valueOf(expression.toUpperCase(Locale.ROOT));
        if (!allowed.contains(v)) {
            throw new IllegalArgumentException("'${" + expression + "}' is only known in response_headers (the target "
                    + "is not chosen yet when request headers are set)");
        }
        return new HeaderTemplate.Var(v, null);
    }

    /** After an unknown lower-case name: maybe a request variable was meant. */
    private static String hint(String raw) {
        int open = raw.indexOf("${");
        while (open >= 0) {
            int close = raw.indexOf('}', open);
            if (close < 0) {
                break;
            }
            String name = raw.substring(open + 2, close);
            if (!isRequestVariable(name) && name.equals(name.toLowerCase(Locale.ROOT))) {
                List<String> known = EnumSet.allOf(Variable.class).stream()
                        .map(v -> v == Variable.HEADER ? "header.NAME" : v.written()).collect(Collectors.toList());
                return DidYouMean.closest(name, known).map(k -> "; did you mean the request variable '${" + k + "}'?")
                        .orElse("") + " (request variables: " + known.stream().map(k -> "${" + k + "}")
                        .collect(Collectors.joining(", ")) + ")";
            }
            open = raw.indexOf("${", close);
        }
        return "";
    }
}
