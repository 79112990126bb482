package dev.gateway.config.toml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gateway.config.HeaderTemplate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One value of the TOML tree at its key path, with typed accessors. Each accessor throws
 * {@link IllegalArgumentException} with an operator-facing message when the value is unusable;
 * {@link TableReader} turns that into a {@link ConfigProblem} at this value's path.
 */
public final class ConfigValue {

    private final ReadContext ctx;
    private final String path;
    private final JsonNode node;

    public ConfigValue(ReadContext ctx, String path, JsonNode node) {
        this.ctx = ctx;
        this.path = path;
        this.node = node;
    }

    public String path() {
        return path;
    }

    public ReadContext ctx() {
        return ctx;
    }

    /** {@code parser} applied to this value; {@code null}, with a problem recorded at this path, if it throws. */
    public <T> T read(Function<ConfigValue, T> parser) {
        try {
            return parser.apply(this);
        } catch (IllegalArgumentException e) {
            ctx.problem(path, e.getMessage());
            return null;
        }
    }

    public boolean isString() {
        return node.isTextual();
    }

    public boolean isInteger() {
        return node.isIntegralNumber();
    }

    public boolean isTable() {
        return node.isObject();
    }

    /** The string with {@code ${VAR}} replaced. */
    public String string() {
        if (!node.isTextual()) {
            throw wrongType("a string");
        }
        return ctx.substitute(node.textValue());
    }

    /**
     * A header value that may hold request variables: {@code ${VAR}} of the environment is
     * substituted now, the variables in {@code allowed} are kept for each request.
     */
    public HeaderTemplate headerTemplate(Set<HeaderTemplate.Variable> allowed) {
        if (!node.isTextual()) {
            throw wrongType("a string");
        }
        return ctx.headerTemplate(node.textValue(), allowed);
    }

    public long integer() {
        if (!node.isIntegralNumber()) {
            throw wrongType("an integer");
        }
        if (!node.canConvertToLong()) {
            throw new IllegalArgumentException(node.asText() + " is out of range");
        }
        return node.longValue();
    }

    public int integer(int min, int max) {
        long value = integer();
        if (value < min || value > max) {
            throw new IllegalArgumentException(value + " (expected: " + range(min, max) + ")");
        }
        return (int) value;
    }

    /** An integer or a float within {@code [min, max]}, e.g. a ratio {@code 0.25}. */
    public double number(double min, double max) {
        if (!node.isNumber()) {
            throw wrongType("a number");
        }
        double value = node.doubleValue();
        if (!(value >= min && value <= max)) {
            throw new IllegalArgumentException(node.asText() + " (expected: " + min + "-" + max + ")");
        }
        return value;
    }

    public boolean bool() {
        if (!node.isBoolean()) {
            throw wrongType("a boolean (true or false)");
        }
        return node.booleanValue();
    }

    /** A string such as {@code "5s"}; a bare number is refused with the expected form. */
    public Duration duration() {
        if (node.isNumber()) {
            throw new IllegalArgumentException("expected a duration string with a unit, e.g. \"" + node.asText()
                    + "s\" (units: " + Durations.UNITS + "), got " + typeName(node) + " " + node.asText());
        }
        if (!node.isTextual()) {
            throw wrongType("a duration string such as \"5s\"");
        }
        return Durations.parse(string());
    }

    /** Integer bytes, or a string such as {@code "16KiB"}. */
    public long size() {
        if (node.isIntegralNumber()) {
            long bytes = integer();
            if (bytes < 0) {
                throw new IllegalArgumentException(bytes + " (expected: >= 0)");
            }
            return bytes;
        }
        if (!node.isTextual()) {
            throw wrongType("a size (bytes, or a string such as \"16KiB\")");
        }
        return Sizes.parse(string());
    }

    /** A snake_case string naming a constant of {@code type}, case-insensitively. */
    public <E extends Enum<E>> E choice(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(ConfigValue::snakeCase).collect(Collectors.toList());
        return type.getEnumConstants()[names.indexOf(choice(names))];
    }

    /** One of {@code allowed}, case-insensitively; returned as spelled in {@code allowed}. */
    public String choice(List<String> allowed) {
        String value = string();
        for (String candidate : allowed) {
            if (candidate.equalsIgnoreCase(value)) {
                return candidate;
            }
        }
        throw new IllegalArgumentException("unknown value '" + value + "'" + DidYouMean.hint(value, allowed)
                + " (expected one of: " + String.join(", ", allowed) + ")");
    }

    /** This value as a table whose keys must be among {@code known} ({@code null}: any key). */
    public TableReader table(Set<String> known) {
        if (!node.isObject()) {
            throw wrongType("a table");
        }
        return new TableReader(ctx, path, (ObjectNode) node, known);
    }

    public List<ConfigValue> elements() {
        if (!node.isArray()) {
            throw wrongType("an array");
        }
        List<ConfigValue> elements = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            elements.add(new ConfigValue(ctx, path + "[" + i + "]", node.get(i)));
        }
        return elements;
    }

    public IllegalArgumentException wrongType(String expected) {
        return new IllegalArgumentException("expected " + expected + ", got " + typeName(node));
    }

    public static String snakeCase(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    public static String range(long min, long max) {
        if (max == Integer.MAX_VALUE || max == Long.MAX_VALUE) {
            return ">= " + min;
        }
        return min + "-" + max;
    }

    public static String typeName(JsonNode node) {
        if (node.isTextual()) {
            return "string";
        }
        if (node.isIntegralNumber()) {
            return "integer";
        }
        if (node.isNumber()) {
            return "float";
        }
        if (node.isBoolean()) {
            return "boolean";
        }
        if (node.isArray()) {
            return "array";
        }
        if (node.isObject()) {
            return "table";
        }
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
