package dev.gateway.config.toml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads one TOML table at its key path and records, rather than throws, whatever is wrong with it:
 * unknown keys (checked on construction, with a did-you-mean hint), missing required keys, wrong
 * types and invalid values. An unusable value yields the default so that reading goes on and
 * every problem of the file is found in one pass; the caller never builds a config from it,
 * because {@link ReadContext#hasProblems()} is then true.
 */
public final class TableReader {

    private final ReadContext ctx;
    private final String path;
    private final ObjectNode node;
    private final boolean present;

    public TableReader(ReadContext ctx, String path, ObjectNode node, Set<String> known) {
        this(ctx, path, node, true);
        if (known != null) {
            reportUnknownKeys(known);
        }
    }

    private TableReader(ReadContext ctx, String path, ObjectNode node, boolean present) {
        this.ctx = ctx;
        this.path = path;
        this.node = node;
        this.present = present;
    }

    /** A table that is not in the file: every key reads as absent. */
    public static TableReader absent(ReadContext ctx, String path) {
        return new TableReader(ctx, path, JsonNodeFactory.instance.objectNode(), false);
    }

    public ReadContext ctx() {
        return ctx;
    }

    public String path() {
        return path;
    }

    public String path(String key) {
        return LineIndex.child(path, key);
    }

    /** False when the table was not in the file (or was not a table). */
    public boolean present() {
        return present;
    }

    public boolean has(String key) {
        return node.has(key);
    }

    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    public void problem(String key, String message) {
        ctx.problem(path(key), message);
    }

    public void problem(String message) {
        ctx.problem(path, message);
    }

    /** The parsed value, {@code def} when absent or invalid. */
    public <T> T get(String key, T def, Function<ConfigValue, T> parser) {
        JsonNode child = node.get(key);
        if (child == null) {
            return def;
        }
        T value = new ConfigValue(ctx, path(key), child).read(parser);
        return value == null ? def : value;
    }

    public <T> Optional<T> optional(String key, Function<ConfigValue, T> parser) {
        return Optional.ofNullable(get(key, null, parser));
    }

    /** The parsed value; {@code null} (with a problem recorded) when absent or invalid. */
    public <T> T required(String key, Function<ConfigValue, T> parser) {
        if (!node.has(key)) {
            problem(key, "missing required key '" + key + "'");
            return null;
        }
        return get(key, null, parser);
    }

    /** Every valid element of an array, each parsed at {@code key[i]}; {@code def} when absent. */
    public <T> List<T> list(String key, List<T> def, Function<ConfigValue, T> element) {
        List<ConfigValue> elements = get(key, null, ConfigValue::elements);
        if (elements == null) {
            return def;
        }
        List<T> values = new ArrayList<>();
        for (ConfigValue value : elements) {
            T parsed = value.read(element);
            if (parsed != null) {
                values.add(parsed);
            }
        }
        return values;
    }

    public String string(String key, String def) {
        return get(key, def, ConfigValue::string);
    }

    public Optional<String> optionalString(String key) {
        return optional(key, ConfigValue::string);
    }

    public boolean bool(String key, boolean def) {
        return get(key, def, ConfigValue::bool);
    }

    public int integer(String key, int def, int min, int max) {
        return get(key, def, v -> v.integer(min, max));
    }

    public double number(String key, double def, double min, double max) {
        return get(key, def, v -> v.number(min, max));
    }

    public long size(String key, long def, long min, long max) {
        return get(key, def, v -> {
            long bytes = v.size();
            if (bytes < min) {
                throw new IllegalArgumentException(Sizes.format(bytes) + " (expected: >= " + min + " bytes)");
            }
            if (bytes > max) {
                throw new IllegalArgumentException(Sizes.format(bytes) + " (expected: at most " + max + " bytes)");
            }
            return bytes;
        });
    }

    /** A duration that must be above zero. */
    public Duration duration(String key, Duration def) {
        return get(key, def, v -> {
            Duration d = v.duration();
            if (d.isZero()) {
                throw new IllegalArgumentException("0 (expected: > 0)");
            }
            return d;
        });
    }

    /** A duration where zero is meaningful. */
    public Duration durationOrZero(String key, Duration def) {
        return get(key, def, ConfigValue::duration);
    }

    public <E extends Enum<E>> E choice(String key, E def) {
        return get(key, def, v -> v.choice(def.getDeclaringClass()));
    }

    public String choice(String key, String def, List<String> allowed) {
        return get(key, def, v -> v.choice(allowed));
    }

    /** The sub-table (unknown keys reported); an absent reader when missing or not a table. */
    public TableReader table(String key, Set<String> known) {
        TableReader table = get(key, null, v -> v.table(known));
        return table == null ? absent(ctx, path(key)) : table;
    }

    /** The tables of an array of tables ({@code [[key]]}), each at {@code key[i]}. */
    public List<TableReader> tables(String key, Set<String> known) {
        if (node.path(key).isObject()) {
            problem(key, "expected an array of tables ([[" + key + "]]), got table");
            return List.of();
        }
        return list(key, List.of(), v -> v.table(known));
    }

    private void reportUnknownKeys(Set<String> known) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (known.contains(name)) {
                continue;
            }
            String hint = DidYouMean.hint(name, known);
            ctx.problem(path(name), "unknown key '" + name + "'" + (hint.isEmpty()
                    ? " (expected one of: " + String.join(", ", sorted(known)) + ")"
                    : hint));
        }
    }

    private static List<String> sorted(Set<String> keys) {
        List<String> list = new ArrayList<>(keys);
        list.sort(null);
        return list;
    }
}
