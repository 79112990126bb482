package dev.gateway.config.toml;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in a string value from the environment.
 * As in POSIX shells, the default also applies when the variable is set but empty. {@code $${}
 * stands for a literal {@code ${}; any other {@code $} is kept as written.
 */
final class EnvSubstitution {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private EnvSubstitution() {
    }

    static String apply(String text, Map<String, String> env) {
        if (text.indexOf('$') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int close = text.indexOf('}', i + 2);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated '${' in '" + text + "' (write '$${' for a literal '${')");
                }
                out.append(lookup(text.substring(i + 2, close), env));
                i = close + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
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
