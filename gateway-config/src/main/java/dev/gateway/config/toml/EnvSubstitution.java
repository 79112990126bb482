package dev.gateway.config.toml;

import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in a string value from the environment.
 * As in POSIX shells, the default also applies when the variable is set but empty. {@code $${}
 * stands for a literal {@code ${}; any other {@code $} is kept as written.
 *
 * <p>Header values may also hold request variables ({@code ${client_ip}}, {@code ${header.X-Id}}):
 * {@link #scan} hands those to its caller untouched and substitutes the rest.
 */
final class EnvSubstitution {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** What {@link #scan} finds: text (literal, or from the environment) and request variables. */
    interface Sink {
        void text(String text);

        void variable(String expression);
    }

    private EnvSubstitution() {
    }

    static String apply(String text, Map<String, String> env) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        scan(text, env, expression -> false, new Sink() {
            @Override
            public void text(String part) {
                out.append(part);
            }

            @Override
            public void variable(String expression) {
                throw new IllegalStateException("no variables expected");
            }
        });
        return out.toString();
    }

    /**
     * Walks {@code text}: every {@code ${expression}} for which {@code isVariable} holds goes to
     * {@link Sink#variable}, every other one is looked up in {@code env}; all text, looked up or
     * literal, goes to {@link Sink#text} in order.
     */
    static void scan(String text, Map<String, String> env, Predicate<String> isVariable, Sink sink) {
        int i = 0;
        int literalStart = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                sink.text(text.substring(literalStart, i) + "${");
                i += 3;
                literalStart = i;
            } else if (text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated '${' in '" + text + "' (write '$${' for a literal '${')");
                }
                sink.text(text.substring(literalStart, i));
                String expression = text.substring(i + 2, close);
                if (isVariable.test(expression)) {
                    sink.variable(expression);
                } else {
                    sink.text(lookup(expression, env));
                }
                i = close + 1;
                literalStart = i;
            } else {
                i++;
            }
        }
        sink.text(text.substring(literalStart));
    }

    private static String lookup(String expression, Map<String, String> env) {
        int dash = expression.indexOf(":-");
        String name = dash < 0 ? expression : expression.substring(0, dash);
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid variable name '" + name + "' in '${" + expression
                    + "}' (expected letters, digits and '_', not starting with a digit)");
        }
        String value = env.get(name);
        if (dash >= 0 && (value == null || value.isEmpty())) {
            return expression.substring(dash + 2);
        }
        if (value == null) {
            throw new IllegalArgumentException("environment variable '" + name + "' is not set (give a default with '${"
                    + name + ":-default}')");
        }
        return value;
    }
}
